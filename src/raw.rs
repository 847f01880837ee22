//! Calls by method and path ([`Client::raw`]): a route this version does not wrap, or a
//! member it does not model, through the same client as every typed call.

use bytes::Bytes;
use progenitor_client::{ClientHooks as _, OperationInfo};
use reqwest::Method;
use reqwest::header::{ACCEPT, HeaderValue};

use crate::generated::{ACCEPT_HEADERS, ROUTES};
use crate::idempotency::IDEMPOTENCY_KEY;
use crate::{Client, Error, ResponseValue};

/// The operation name of a raw call whose route is not documented (in its errors and the
/// `pilot_status.request` span).
pub const RAW_OPERATION: &str = "raw call";

impl Client {
    /// A call of `method` to `path` (`/v1/numbers`, optionally with a query string), for
    /// what the typed methods do not cover. `.send().await` makes it.
    ///
    /// It goes through everything a typed call does: the credential (none to the public
    /// routes), the number header, the user agent, the timeout, the same-origin redirect
    /// policy, the response-size limit, retries, tracing and the error type. A documented
    /// route is that operation's ([`RawRequest::operation`]): it gets a fresh
    /// `Idempotency-Key` where the operation takes one and none is set (unless
    /// [`ClientBuilder::automatic_idempotency_keys`](crate::ClientBuilder::automatic_idempotency_keys)
    /// is off), and its errors name it.
    ///
    /// ```no_run
    /// # async fn run(client: pilot_status::Client) -> Result<(), pilot_status::Error> {
    /// let answer = client
    ///     .raw(pilot_status::Method::GET, "/v1/messages/history")
    ///     .query("pageSize", "5")
    ///     .send()
    ///     .await?;
    /// let page: serde_json::Value = serde_json::from_slice(&answer.into_inner()).unwrap_or_default();
    /// # Ok(()) }
    /// ```
    pub fn raw(&self, method: Method, path: impl Into<String>) -> RawRequest {
        RawRequest {
            client: self.clone(),
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            idempotency_key: None,
        }
    }
}

/// A call by method and path, made by [`Client::raw`]: add a query, a JSON body or a key,
/// then `.send().await`.
#[derive(Debug, Clone)]
pub struct RawRequest {
    client: Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    idempotency_key: Option<String>,
}

impl RawRequest {
    /// Adds `name=value` to the query string (repeat for more, or for a name twice).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sends `body` as the JSON request body.
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Sends this `Idempotency-Key` (checked like any call's before sending).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// The documented operation whose route this is (`messages.send` for `POST
    /// /v1/messages/send`), if any.
    pub fn operation(&self) -> Option<&'static str> {
        Self::operation_of(&self.method, &self.path)
    }

    /// The documented operation whose route `method` and `path` are, if any: what
    /// [`RawRequest::operation`] answers, before a client is built.
    pub fn operation_of(method: &Method, path: &str) -> Option<&'static str> {
        route(method, path).map(|(operation, _)| operation)
    }

    /// Makes the call and reads the whole body. A success (2xx) gives its bytes, status and
    /// headers as they came, whatever the content type (and the key the call sent among
    /// the headers, as typed calls record it); any other status is [`Error::Api`].
    ///
    /// # Errors
    /// As any call: [`Error::InvalidRequest`] when the path is not a path of the API's
    /// origin (an absolute URL, `//host`) or the key is not valid, and the errors of
    /// sending it.
    pub async fn send(self) -> Result<ResponseValue<Bytes>, Error> {
        let matched = route(&self.method, &self.path);
        let operation = matched.map_or(RAW_OPERATION, |(operation, _)| operation);
        let keyed = matched.is_some_and(|(_, keyed)| keyed);
        let Self {
            client,
            method,
            path,
            query,
            body,
            idempotency_key,
        } = self;
        let key = idempotency_key.or_else(|| {
            (keyed && client.inner.automatic_idempotency_keys).then(crate::idempotency::new_key)
        });
        let result: Result<ResponseValue<Bytes>, progenitor_client::Error<()>> = async {
            let url = url_of(&client, &path).map_err(progenitor_client::Error::InvalidRequest)?;
            let mut request = client.client.request(method, url);
            if !query.is_empty() {
                request = request.query(&query);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            if !ACCEPT_HEADERS.iter().any(|(id, _)| *id == operation) {
                request = request.header(ACCEPT, HeaderValue::from_static("application/json"));
            }
            if let Some(key) = &key {
                request = request.header(IDEMPOTENCY_KEY, key.as_str());
            }
            let mut request = request.build()?;
            let info = OperationInfo {
                operation_id: operation,
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let mut response = result?;
            let status = response.status();
            if !status.is_success() {
                return Err(progenitor_client::Error::UnexpectedResponse(response));
            }
            let mut headers = std::mem::take(response.headers_mut());
            let (body, _) = crate::client::take_body(&mut response)
                .await
                .map_err(progenitor_client::Error::ResponseBodyError)?;
            if let Some(key) = &key
                && !headers.contains_key(IDEMPOTENCY_KEY)
                && let Ok(value) = HeaderValue::from_str(key)
            {
                headers.insert(IDEMPOTENCY_KEY, value);
            }
            Ok(ResponseValue::new(body, status, headers))
        }
        .await;
        crate::error::from_generated(operation, key, result).await
    }
}

/// The URL of `path` on the client's base URL: a path of that origin only, so the
/// credential and the body never leave it.
fn url_of(client: &Client, path: &str) -> Result<reqwest::Url, String> {
    let path = path.trim();
    if !path.starts_with('/') || path.starts_with("//") || path.contains('\\') {
        return Err(format!(
            "{path:?} is not a path of the API (it must start with one /, such as /v1/numbers)"
        ));
    }
    let base = reqwest::Url::parse(&client.baseurl)
        .map_err(|error| format!("the base URL is not a URL: {error}"))?;
    let url = reqwest::Url::parse(&format!("{}{path}", client.baseurl))
        .map_err(|error| format!("{path:?} does not make a URL: {error}"))?;
    if url.origin() != base.origin() {
        return Err(format!("{path:?} leaves the API's origin"));
    }
    Ok(url)
}

/// The documented operation whose method and path template match, and whether it takes an
/// `Idempotency-Key`. A template's `{parameter}` matches one non-empty segment; the query
/// string and a trailing `/` are ignored.
fn route(method: &Method, path: &str) -> Option<(&'static str, bool)> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ROUTES
        .iter()
        .filter(|(_, route_method, _, _)| *route_method == method.as_str())
        .find(|(_, _, template, _)| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(part, segment)| {
                    (part.starts_with('{') && part.ends_with('}') && !segment.is_empty())
                        || part == segment
                })
        })
        .map(|(operation, _, _, keyed)| (*operation, *keyed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_their_templates() {
        assert_eq!(
            route(&Method::POST, "/v1/messages/send"),
            Some(("messages.send", true))
        );
        assert_eq!(
            route(&Method::GET, "/v1/numbers/num_1?refresh=1"),
            Some(("numbers.get", false))
        );
        assert_eq!(
            route(&Method::POST, "/v1/phone-lines/verification/"),
            Some(("phone_lines.verification.start", true))
        );
        assert_eq!(route(&Method::GET, "/v1/numbers/num_1/nothing-here"), None);
        assert_eq!(route(&Method::PUT, "/v1/messages/send"), None);
    }

    #[test]
    fn only_paths_of_the_api_origin_are_sent() {
        let client = Client::builder()
            .api_key("ps_test")
            .base_url("https://api.example.com/base")
            .build()
            .expect("a client");
        assert_eq!(
            url_of(&client, "/v1/numbers?x=1").expect("a path").as_str(),
            "https://api.example.com/base/v1/numbers?x=1"
        );
        for bad in [
            "https://evil.example/v1",
            "//evil.example/v1",
            "v1/numbers",
            "/\\evil",
        ] {
            assert!(url_of(&client, bad).is_err(), "{bad}");
        }
        // `@` in a path is a path character after the base's host, not userinfo.
        assert_eq!(
            url_of(&client, "/@evil.example")
                .expect("a path")
                .host_str(),
            Some("api.example.com")
        );
    }
}
