//! Each test calls one operation against a server on 127.0.0.1 that answers with the
//! operation's own documented success example (from the corrected, normalised spec), then
//! checks the request that arrived and the decoded response.

use pilot_status::Client;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::operation_named;

pub const API_KEY: &str = "ps_operations_test_key";

/// What one request should have looked like.
#[derive(Default)]
pub struct Expected {
    /// The path as sent (percent-encoded).
    pub path: String,
    /// Decoded query pairs, in any order.
    pub query: Vec<(String, String)>,
    /// Extra headers that must be present, with their values.
    pub headers: Vec<(String, String)>,
    /// The JSON body, if any.
    pub body: Option<Value>,
}

impl Expected {
    pub fn path(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            ..Self::default()
        }
    }

    pub fn query(mut self, pairs: &[(&str, &str)]) -> Self {
        self.query = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// One operation under test.
pub struct Case {
    pub id: &'static str,
    pub server: MockServer,
    method: String,
    example: Option<Value>,
    public: bool,
    binary: bool,
}

impl Case {
    /// Starts a server that answers every request with `id`'s documented success.
    pub async fn new(id: &'static str) -> Self {
        let (method, _, operation) = operation_named(id);
        let success = &operation["responses"]["2XX"];
        let status = success["x-documented-statuses"]
            .get(0)
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .unwrap_or(200);
        let content = success.get("content").and_then(Value::as_object);
        let example = content
            .and_then(|c| c.get("application/json"))
            .and_then(|media| media.get("example"))
            .cloned();
        let binary = content.is_some_and(|c| !c.is_empty() && !c.contains_key("application/json"));
        let server = MockServer::start().await;
        let response = match (&example, binary) {
            (_, true) => ResponseTemplate::new(status)
                .insert_header("content-type", "audio/ogg")
                .insert_header(
                    "content-disposition",
                    "attachment; filename=\"activation.ogg\"",
                )
                .set_body_bytes(b"OggS fake audio".to_vec()),
            (Some(example), false) => ResponseTemplate::new(status).set_body_json(example),
            (None, false) => ResponseTemplate::new(status),
        };
        Mock::given(wiremock::matchers::any())
            .respond_with(response)
            .mount(&server)
            .await;
        Self {
            id,
            server,
            method,
            example,
            public: operation
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty),
            binary,
        }
    }

    /// A client for the server.
    pub fn client(&self) -> Client {
        Client::builder()
            .api_key(API_KEY)
            .base_url(self.server.uri())
            .build()
            .expect("a valid configuration")
    }

    /// Checks the one request the server received.
    pub async fn expect(&self, expected: Expected) {
        let requests = self
            .server
            .received_requests()
            .await
            .expect("recording is on");
        assert_eq!(requests.len(), 1, "{}: expected one request", self.id);
        let request = &requests[0];
        assert_eq!(request.method.as_str(), self.method, "{}: method", self.id);
        assert_eq!(request.url.path(), expected.path, "{}: path", self.id);
        let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let mut wanted = expected.query.clone();
        query.sort();
        wanted.sort();
        assert_eq!(query, wanted, "{}: query", self.id);
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        for (name, value) in &expected.headers {
            assert_eq!(
                header(name),
                Some(value.as_str()),
                "{}: header {name}",
                self.id
            );
        }
        assert_eq!(
            header("x-api-key"),
            (!self.public).then_some(API_KEY),
            "{}: credentials",
            self.id
        );
        assert_eq!(
            header("api-version"),
            None,
            "{}: no api-version header",
            self.id
        );
        let accept = if self.binary {
            "audio/*, application/json"
        } else {
            "application/json"
        };
        if self.example.is_some() || self.binary {
            assert_eq!(header("accept"), Some(accept), "{}: accept", self.id);
        }
        match &expected.body {
            Some(body) => {
                assert_eq!(
                    header("content-type"),
                    Some("application/json"),
                    "{}: content-type",
                    self.id
                );
                let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
                assert!(
                    same_json(&sent, body),
                    "{}: body\n sent: {sent}\nwanted: {body}",
                    self.id
                );
            }
            None => assert!(
                request.body.is_empty(),
                "{}: unexpected body {:?}",
                self.id,
                String::from_utf8_lossy(&request.body)
            ),
        }
    }

    /// Checks that the decoded response holds every non-null value of the example.
    pub fn decoded<T: Serialize>(&self, value: &T) {
        let example = self.example.as_ref().expect("a JSON example");
        let decoded = serde_json::to_value(value).expect("the response type serializes");
        covers(example, &decoded, self.id, "");
    }
}

/// The spec's JSON example as the operation's typed body; a panic names the type that
/// refused it.
pub fn typed<T: DeserializeOwned>(example: &Value) -> T {
    serde_json::from_value(example.clone()).unwrap_or_else(|error| {
        panic!(
            "the example does not fit {}: {error}",
            std::any::type_name::<T>()
        )
    })
}

/// JSON equality where `50` and `50.0` are the same number.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// `actual` has every non-null value of `expected`, numbers compared as numbers.
fn covers(expected: &Value, actual: &Value, id: &str, at: &str) {
    match (expected, actual) {
        (Value::Null, _) => {}
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let next = format!("{at}/{key}");
                match actual.get(key) {
                    Some(found) => covers(value, found, id, &next),
                    None if value.is_null() => {}
                    None if value.as_array().is_some_and(Vec::is_empty)
                        || value.as_object().is_some_and(|o| o.is_empty()) => {}
                    None => panic!("{id}: {next} was not decoded"),
                }
            }
        }
        (Value::Array(expected), Value::Array(actual)) => {
            assert_eq!(expected.len(), actual.len(), "{id}: length of {at}");
            for (index, (e, a)) in expected.iter().zip(actual).enumerate() {
                covers(e, a, id, &format!("{at}/{index}"));
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            assert_eq!(e.as_f64(), a.as_f64(), "{id}: {at}");
        }
        (e, a) => assert_eq!(e, a, "{id}: {at}"),
    }
}
