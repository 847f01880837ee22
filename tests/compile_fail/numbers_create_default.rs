// Refused by the API: Python SDK 1.15.0 numbers.create and docs POST /v1/numbers: a number is created with its `name` and `number` (design/models.yaml `required`).
// Refused by the compiler: the trait bound `CreateNumberInput: std::default::Default` is not satisfied

fn main() {
    let client = pilot_status::Client::new("ps_test").unwrap();
    let _ = client.numbers().create(Default::default());
}
