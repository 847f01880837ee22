//! What a typed mock requires of a request, recorded as it is set, so that a request no mock
//! matches is answered loudly: with what it was and what the closest mock expected.
//!
//! Every typed `When` wraps a [`Matcher`]: the `httpmock::When` the mock is built on, and a
//! record of each requirement (route, parameters, headers, body) with a check a request can
//! be held against. A catch-all mock, kept last on each server, answers every request no
//! other mock matched with 421 `MOCK_UNMATCHED` and a body naming the request and the
//! closest mock's mismatches, instead of httpmock's plain 404 (which a not-found test could
//! take for the API's).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The status of the answer to a request no mock matches: "Misdirected Request", a 4xx
/// the client never retries and the API does not send.
pub const UNMATCHED_STATUS: u16 = 421;
/// The `code` of that answer's body.
pub const UNMATCHED_CODE: &str = "MOCK_UNMATCHED";

type Check = Box<dyn Fn(&HttpMockRequest) -> Result<(), String> + Send + Sync>;

/// One requirement: its text and how a request is held against it (`Err` says how it
/// differs).
struct Requirement {
    check: Check,
}

/// How the members a mock matches constrain the JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyMode {
    /// The body is exactly what the client sends for these members (every other member as
    /// the body type's default serialises it).
    Whole,
    /// The body has these members; the others may be anything.
    Partial,
}

/// What one typed mock requires.
pub(crate) struct Spec {
    operation: &'static str,
    route: String,
    requirements: Vec<Requirement>,
    /// The body type's default, serialised (`{"variables": {}}` for a send).
    default_body: Option<Value>,
    /// The members matched so far.
    members: Map<String, Value>,
    mode: BodyMode,
}

impl Spec {
    /// The body the members describe, or `None` when no member was matched.
    fn expected_body(&self) -> Option<Value> {
        if self.members.is_empty() {
            return None;
        }
        let mut body = match (self.mode, &self.default_body) {
            (BodyMode::Whole, Some(Value::Object(default))) => default.clone(),
            _ => Map::new(),
        };
        for (name, value) in &self.members {
            body.insert(name.clone(), value.clone());
        }
        Some(Value::Object(body))
    }

    /// How `request`'s body differs from what the members require; `Ok` when it does not.
    fn body_check(&self, request: &HttpMockRequest) -> Result<(), String> {
        let Some(expected) = self.expected_body() else {
            return Ok(());
        };
        let actual: Value = serde_json::from_slice(request.body_ref())
            .map_err(|_| "the body is not JSON".to_owned())?;
        let (Value::Object(expected), Value::Object(actual)) = (&expected, &actual) else {
            return Err("the body is not a JSON object".to_owned());
        };
        let mut differences = Vec::new();
        for (name, value) in expected {
            match actual.get(name) {
                Some(found) if found == value => {}
                Some(found) => differences.push(format!(
                    "body member `{name}` should be {value} but is {found}"
                )),
                None => differences.push(format!("body member `{name}` ({value}) is missing")),
            }
        }
        if self.mode == BodyMode::Whole {
            for (name, found) in actual {
                if !expected.contains_key(name) {
                    differences.push(format!(
                        "body member `{name}` ({found}) is not expected (match it, or call \
                         `partial()` to let other members be anything)"
                    ));
                }
            }
        }
        if differences.is_empty() {
            Ok(())
        } else {
            Err(differences.join("; "))
        }
    }

    /// Every way `request` differs from this mock.
    fn mismatches(&self, request: &HttpMockRequest) -> Vec<String> {
        self.requirements
            .iter()
            .filter_map(|requirement| (requirement.check)(request).err())
            .chain(self.body_check(request).err())
            .collect()
    }
}

/// The request matchers of a typed mock: an `httpmock::When` and the record of what it
/// requires. The generated `When`s call it as they would call `httpmock::When`.
pub struct Matcher {
    when: httpmock::When,
    spec: Arc<Mutex<Spec>>,
}

fn lock(spec: &Mutex<Spec>) -> std::sync::MutexGuard<'_, Spec> {
    spec.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Matcher {
    /// A matcher for a mock of `operation` (`messages.send`) on `route`; `default_body` is
    /// the body type's default, serialised, for operations with a JSON body.
    pub(crate) fn new(
        when: httpmock::When,
        operation: &'static str,
        route: &str,
        default_body: Option<Value>,
    ) -> Self {
        let spec = Arc::new(Mutex::new(Spec {
            operation,
            route: route.to_owned(),
            requirements: Vec::new(),
            default_body,
            members: Map::new(),
            mode: BodyMode::Whole,
        }));
        // Read when a request arrives, after every matcher was set.
        let body_spec = Arc::clone(&spec);
        let when = when.is_true(move |request| lock(&body_spec).body_check(request).is_ok());
        Self { when, spec }
    }

    pub(crate) fn spec(&self) -> Arc<Mutex<Spec>> {
        Arc::clone(&self.spec)
    }

    fn require(self, check: Check) -> Self {
        lock(&self.spec).requirements.push(Requirement { check });
        self
    }

    /// The wrapped `httpmock::When`.
    pub(crate) fn into_inner(self) -> httpmock::When {
        self.when
    }

    pub(crate) fn method(mut self, method: httpmock::Method) -> Self {
        let expected = method.to_string();
        self.when = self.when.method(method);
        self.require(Box::new(move |request| {
            if request.method_str().eq_ignore_ascii_case(&expected) {
                Ok(())
            } else {
                Err(format!(
                    "the method should be {expected}, not {}",
                    request.method_str()
                ))
            }
        }))
    }

    pub(crate) fn path_matches(mut self, pattern: regex::Regex) -> Self {
        self.when = self.when.path_matches(pattern.clone());
        self.require(Box::new(move |request| {
            let path = request.uri().path().to_owned();
            if pattern.is_match(&path) {
                Ok(())
            } else {
                Err(format!("the path {path} does not match {pattern}"))
            }
        }))
    }

    pub(crate) fn path_not(mut self, path: &str) -> Self {
        let path = path.to_owned();
        self.when = self.when.path_not(path.clone());
        self.require(Box::new(move |request| {
            if request.uri().path() == path {
                Err(format!("the path is {path}, another route's"))
            } else {
                Ok(())
            }
        }))
    }

    pub(crate) fn query_param(mut self, name: &str, value: impl Into<String>) -> Self {
        let (name, value) = (name.to_owned(), value.into());
        self.when = self.when.query_param(name.clone(), value.clone());
        self.require(Box::new(move |request| {
            let found: Vec<String> = request
                .query_params()
                .into_iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .collect();
            if found.contains(&value) {
                Ok(())
            } else if found.is_empty() {
                Err(format!("query parameter `{name}` ({value}) is missing"))
            } else {
                Err(format!(
                    "query parameter `{name}` should be {value:?} but is {found:?}"
                ))
            }
        }))
    }

    pub(crate) fn query_param_missing(mut self, name: &str) -> Self {
        let name = name.to_owned();
        self.when = self.when.query_param_missing(name.clone());
        self.require(Box::new(move |request| {
            match request.query_params().into_iter().find(|(n, _)| *n == name) {
                None => Ok(()),
                Some((_, value)) => Err(format!(
                    "query parameter `{name}` should be absent but is {value:?}"
                )),
            }
        }))
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        let (name, value) = (name.to_owned(), value.into());
        self.when = self.when.header(name.clone(), value.clone());
        self.require(Box::new(move |request| {
            match request
                .headers()
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
            {
                Some(found) if found == value => Ok(()),
                Some(found) => Err(format!(
                    "header `{name}` should be {value:?} but is {found:?}"
                )),
                None => Err(format!("header `{name}` ({value}) is missing")),
            }
        }))
    }

    pub(crate) fn header_missing(mut self, name: &str) -> Self {
        let name = name.to_owned();
        self.when = self.when.header_missing(name.clone());
        self.require(Box::new(move |request| {
            match request.headers().get(name.as_str()) {
                None => Ok(()),
                Some(found) => Err(format!("header `{name}` should be absent but is {found:?}")),
            }
        }))
    }

    /// The whole body, every member as `value` serialises.
    pub(crate) fn json_body_obj<T: Serialize>(self, value: &T) -> Self {
        let value = serde_json::to_value(value)
            .unwrap_or_else(|error| panic!("the body to match does not serialize: {error}"));
        {
            let mut spec = lock(&self.spec);
            spec.members = match value {
                Value::Object(members) => members,
                other => Map::from_iter([("(body)".to_owned(), other)]),
            };
            spec.default_body = None;
            spec.mode = BodyMode::Whole;
        }
        self
    }

    /// The body has member `name` equal to `value`, as the client serialises it.
    pub(crate) fn body_member<T: Serialize>(self, name: &str, value: &T) -> Self {
        let value = serde_json::to_value(value)
            .unwrap_or_else(|error| panic!("the value for the body member `{name}`: {error}"));
        lock(&self.spec).members.insert(name.to_owned(), value);
        self
    }

    /// The body members matched so far are required, and the other members may be anything.
    pub(crate) fn partial_body(self) -> Self {
        lock(&self.spec).mode = BodyMode::Partial;
        self
    }
}

/// The typed mocks of a server, for the catch-all's answer.
struct ServerMocks {
    /// The path of a mock only this record made: while it answers, the server is the one
    /// these mocks were made on (httpmock hands a pooled server, reset, to the next test).
    marker: String,
    specs: Arc<Mutex<Vec<Arc<Mutex<Spec>>>>>,
    fallback: Option<usize>,
}

fn registry() -> &'static Mutex<HashMap<String, ServerMocks>> {
    static REGISTRY: OnceLock<Mutex<HashMap<String, ServerMocks>>> = OnceLock::new();
    REGISTRY.get_or_init(Mutex::default)
}

/// Whether `server` answers `path` with 204: the marker mock is still there.
fn answers(server: &MockServer, path: &str) -> bool {
    use std::io::{Read as _, Write as _};
    let timeout = Some(std::time::Duration::from_secs(2));
    let Ok(mut stream) =
        std::net::TcpStream::connect_timeout(server.address(), std::time::Duration::from_secs(2))
    else {
        return false;
    };
    let _ = stream.set_read_timeout(timeout);
    let _ = stream.set_write_timeout(timeout);
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    head[..read].starts_with(b"HTTP/1.1 204")
}

/// Records a typed mock made on `server` (or, with `None`, only makes sure the catch-all is
/// there) and moves the catch-all after every mock made so far.
pub(crate) fn registered(server: &MockServer, spec: Option<Arc<Mutex<Spec>>>) {
    let mut registry = registry()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let key = server.base_url();
    let current = registry
        .get(&key)
        .is_some_and(|mocks| answers(server, &mocks.marker));
    if !current {
        let marker = format!("/__pilot_status_mock__/{}", uuid::Uuid::new_v4());
        server.mock(|when, then| {
            when.method(httpmock::Method::GET).path(marker.clone());
            then.status(204);
        });
        registry.insert(
            key.clone(),
            ServerMocks {
                marker,
                specs: Arc::default(),
                fallback: None,
            },
        );
    }
    let Some(mocks) = registry.get_mut(&key) else {
        return;
    };
    if let Some(spec) = spec {
        mocks
            .specs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(spec);
    }
    if let Some(id) = mocks.fallback.take() {
        httpmock::Mock::new(id, server).delete();
    }
    let specs = Arc::clone(&mocks.specs);
    let fallback = server.mock(|_, then| {
        then.respond_with(move |request| unmatched(&specs, request));
    });
    mocks.fallback = Some(fallback.id());
}

/// The answer to a request no mock matched.
fn unmatched(specs: &Mutex<Vec<Arc<Mutex<Spec>>>>, request: &HttpMockRequest) -> HttpMockResponse {
    let specs = specs
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let target = match request.uri().query() {
        Some(query) => format!("{} {}?{query}", request.method_str(), request.uri().path()),
        None => format!("{} {}", request.method_str(), request.uri().path()),
    };
    // The closest: on the same route first, then with the fewest mismatches.
    let closest = specs
        .iter()
        .map(|spec| {
            let spec = lock(spec);
            let mismatches = spec.mismatches(request);
            let other_route = mismatches
                .iter()
                .any(|m| m.starts_with("the path") || m.starts_with("the method"));
            (
                other_route,
                mismatches.len(),
                spec.operation,
                spec.route.clone(),
                mismatches,
            )
        })
        .min_by_key(|(other_route, count, ..)| (*other_route, *count));
    let message = match &closest {
        Some((_, _, operation, route, mismatches)) => format!(
            "no mock matched {target}; the closest, a `{operation}` mock ({route}): {}",
            mismatches.join("; ")
        ),
        None => format!("no mock matched {target}, and the server has no typed mock"),
    };
    let body = json!({
        "error": message,
        "code": UNMATCHED_CODE,
        "request": {
            "method": request.method_str(),
            "target": target,
            "body": String::from_utf8_lossy(request.body_ref()),
        },
        "closest": closest.map(|(_, _, operation, route, mismatches)| json!({
            "operation": operation,
            "route": route,
            "mismatches": mismatches,
        })),
    });
    HttpMockResponse::builder()
        .status(UNMATCHED_STATUS)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}
