//! What a typestate builder holds for a required member it has not been given yet.

/// A required member a builder has not been given yet: `CreateNumberInputBuilder<String,
/// Missing>` has its `name` and still needs its `number`, and has no `build()` until it has
/// it, so a request without a required member does not compile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Missing;
