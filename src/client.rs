//! Building a [`Client`] and what it adds to every request: credentials, the number
//! header, the user agent and the timeout.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{ACCEPT, HeaderName, HeaderValue, USER_AGENT};
use tracing::Instrument;

use crate::generated::{ACCEPT_HEADERS, PUBLIC_OPERATIONS};
use crate::retry::{Decision, Outcome, RetryPolicy};
use crate::{Client, DEFAULT_BASE_URL, Error};

/// Header that authenticates with the API key itself (`ps_...`).
const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");
/// Header that authenticates with an API key id instead.
const API_KEY_ID_HEADER: HeaderName = HeaderName::from_static("x-api-key-id");
/// Header that picks the WhatsApp number a tenant-scoped key acts for.
pub const NUMBER_HEADER: HeaderName = HeaderName::from_static("x-whatsapp-number-id");
/// The default request timeout (the official SDK's too).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The user agent sent unless [`ClientBuilder::user_agent`] says otherwise.
pub fn default_user_agent() -> String {
    format!("pilot-status-rs/{}", env!("CARGO_PKG_VERSION"))
}

/// What a [`Client`] adds to each request (internal: not reachable from outside the crate).
/// Built by [`ClientBuilder`]; its `Debug` never shows the credential.
#[derive(Clone)]
pub struct ClientState {
    credential_header: HeaderName,
    /// Marked sensitive, so reqwest and `http` never print it.
    credential: HeaderValue,
    number_id: Option<Arc<str>>,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field(
                "credential",
                &format_args!("{}: <redacted>", self.credential_header),
            )
            .field("number_id", &self.number_id)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

/// Which header carries the credential.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CredentialKind {
    ApiKey,
    ApiKeyId,
}

/// Configures a [`Client`]; start with [`Client::builder`].
///
/// ```no_run
/// # fn main() -> Result<(), pilot_status::Error> {
/// use std::time::Duration;
///
/// let client = pilot_status::Client::builder()
///     .api_key(std::env::var("PILOT_STATUS_API_KEY").unwrap_or_default())
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    credential: Option<(CredentialKind, String)>,
    base_url: Option<String>,
    timeout: Option<Option<Duration>>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    number_id: Option<String>,
    retry: Option<RetryPolicy>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = self.credential.as_ref().map(|(kind, _)| match kind {
            CredentialKind::ApiKey => "x-api-key: <redacted>",
            CredentialKind::ApiKeyId => "x-api-key-id: <redacted>",
        });
        f.debug_struct("ClientBuilder")
            .field("credential", &credential)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .field("number_id", &self.number_id)
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientBuilder {
    /// Authenticates with an API key (`ps_...`), sent as `x-api-key`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.credential = Some((CredentialKind::ApiKey, key.into()));
        self
    }

    /// Authenticates with an API key id, sent as `x-api-key-id` instead of `x-api-key`.
    pub fn api_key_id(mut self, key_id: impl Into<String>) -> Self {
        self.credential = Some((CredentialKind::ApiKeyId, key_id.into()));
        self
    }

    /// Sends requests to another base URL (a proxy, a test server). Default:
    /// [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time allowed for each request, from connecting to the last byte of the body.
    /// Default: [`DEFAULT_TIMEOUT`]. It also applies to a client given with
    /// [`ClientBuilder::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// Lets requests take as long as they take (or as long as the reqwest client allows).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// The `user-agent` header. Default: `pilot-status-rs/<crate version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this reqwest client (proxies, TLS settings, connection pool) instead of a new
    /// one. The SDK still sets credentials, user agent and timeout on each request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sends `x-whatsapp-number-id` on every request: the number a tenant-scoped key acts
    /// for. See also [`Client::with_number`].
    pub fn number_id(mut self, number_id: impl Into<String>) -> Self {
        self.number_id = Some(number_id.into());
        self
    }

    /// How failed requests are retried. Default: [`RetryPolicy::default`] (2 retries);
    /// [`RetryPolicy::none`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] when no credential was given, the credential, number id or user
    /// agent cannot be an HTTP header value, the base URL is not an absolute `http(s)` URL,
    /// or reqwest cannot build its client. The message never contains the credential.
    pub fn build(self) -> Result<Client, Error> {
        let (kind, secret) = self.credential.ok_or_else(|| {
            Error::Config("no credential: call api_key() or api_key_id()".to_owned())
        })?;
        let (credential_header, what) = match kind {
            CredentialKind::ApiKey => (API_KEY_HEADER, "API key"),
            CredentialKind::ApiKeyId => (API_KEY_ID_HEADER, "API key id"),
        };
        if secret.trim().is_empty() {
            return Err(Error::Config(format!("the {what} is empty")));
        }
        let mut credential = HeaderValue::from_str(&secret).map_err(|_| {
            Error::Config(format!(
                "the {what} contains characters that cannot be sent in an HTTP header"
            ))
        })?;
        credential.set_sensitive(true);

        let user_agent = self.user_agent.unwrap_or_else(default_user_agent);
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::Config(format!(
                "the user agent {user_agent:?} is not a valid header value"
            ))
        })?;
        if let Some(number_id) = &self.number_id {
            HeaderValue::from_str(number_id).map_err(|_| {
                Error::Config(format!(
                    "the number id {number_id:?} is not a valid header value"
                ))
            })?;
        }
        let base_url = checked_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let http_client = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .build()
                .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?,
        };
        let state = ClientState {
            credential_header,
            credential,
            number_id: self.number_id.map(Arc::from),
            user_agent,
            timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
            retry: self.retry.unwrap_or_default(),
        };
        Ok(Client::new_with_client(&base_url, http_client, state))
    }
}

/// An absolute `http(s)` URL without query or fragment, trailing `/` removed (the
/// generated code appends paths that start with `/`).
fn checked_base_url(url: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|error| Error::Config(format!("the base URL {url:?} is not a URL: {error}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "the base URL {url:?} must be an absolute http or https URL"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "the base URL {url:?} must not have a query or fragment"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

impl Client {
    /// A client for the production API authenticated with `api_key` (`ps_...`), with the
    /// defaults of [`ClientBuilder`].
    ///
    /// # Errors
    /// See [`ClientBuilder::build`].
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A sibling client that sends `x-whatsapp-number-id: <number_id>` on every request,
    /// sharing this one's connection pool and settings. `self` is left untouched.
    ///
    /// A per-call `x_whatsapp_number_id(..)` on an operation that declares the header
    /// takes precedence. A value that cannot be a header fails each call with
    /// [`Error::InvalidRequest`].
    pub fn with_number(&self, number_id: impl Into<String>) -> Self {
        let mut sibling = self.clone();
        sibling.inner.number_id = Some(Arc::from(number_id.into()));
        sibling
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }

    /// The number id sent in `x-whatsapp-number-id`, if any.
    pub fn number_id(&self) -> Option<&str> {
        self.inner.number_id.as_deref()
    }
}

/// The generated code calls these around every request; they are the SDK's internals.
#[doc(hidden)]
impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let state = &self.inner;
        let headers = request.headers_mut();
        // Token-authenticated endpoints (`security: []`) get no key: least privilege.
        if !PUBLIC_OPERATIONS.contains(&info.operation_id) {
            headers.insert(state.credential_header.clone(), state.credential.clone());
        }
        headers.insert(USER_AGENT, state.user_agent.clone());
        if !headers.contains_key(ACCEPT)
            && let Some((_, accept)) = ACCEPT_HEADERS
                .iter()
                .find(|(id, _)| *id == info.operation_id)
        {
            headers.insert(ACCEPT, HeaderValue::from_static(accept));
        }
        if let Some(number_id) = &state.number_id
            && !headers.contains_key(NUMBER_HEADER)
        {
            let value = HeaderValue::from_str(number_id).map_err(|_| {
                progenitor_client::Error::InvalidRequest(format!(
                    "the number id {number_id:?} is not a valid header value"
                ))
            })?;
            headers.insert(NUMBER_HEADER, value);
        }
        if request.timeout().is_none() {
            *request.timeout_mut() = state.timeout;
        }
        Ok(())
    }

    /// Sends the request, retrying it as [`RetryPolicy`] says, inside a `pilot_status.request`
    /// span (operation, method, path, final status, attempts, latency). Headers are never
    /// recorded, so neither is the credential.
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "pilot_status.request",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.send_with_retries(request).instrument(span).await
    }
}

impl Client {
    async fn send_with_retries(
        &self,
        request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner.retry;
        let repeatable = RetryPolicy::is_repeatable(request.method(), request.headers());
        let started = Instant::now();
        let mut request = request;
        let mut attempt = 1;
        loop {
            // A copy for the next attempt, taken before this one consumes the request.
            let next = (repeatable && attempt <= policy.retries())
                .then(|| request.try_clone())
                .flatten();
            let attempt_started = Instant::now();
            let result = self.client.execute(request).await;
            let outcome = match &result {
                Ok(response) => Outcome::Status(response.status(), response.headers()),
                Err(error) => Outcome::Transport {
                    connect: error.is_connect(),
                    timeout: error.is_timeout(),
                },
            };
            let status = result.as_ref().ok().map(|r| r.status().as_u16());
            tracing::debug!(
                attempt,
                status,
                latency_ms = attempt_started.elapsed().as_millis() as u64,
                "attempt finished"
            );
            match (policy.decide(attempt, outcome), next) {
                (Decision::Wait(wait), Some(next)) => {
                    tracing::warn!(
                        attempt,
                        status,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    drop(result);
                    tokio::time::sleep(wait).await;
                    request = next;
                    attempt += 1;
                }
                _ => {
                    let span = tracing::Span::current();
                    if let Some(status) = status {
                        span.record("status", status);
                    }
                    span.record("attempts", attempt);
                    span.record("latency_ms", started.elapsed().as_millis() as u64);
                    return result;
                }
            }
        }
    }
}
