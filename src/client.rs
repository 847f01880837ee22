//! Building a [`Client`] and what it adds to every request: credentials, the number
//! header, the user agent, the timeout, the redirect policy, the response-size limit and
//! retries.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use futures_util::future::Either;
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{ACCEPT, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{StatusCode, Url};
use tracing::Instrument;

use crate::deadline::Deadline;
use crate::error::Refusal;
use crate::generated::{
    ACCEPT_HEADERS, API_KEY_ID_SCHEME, API_KEY_SCHEME, PUBLIC_OPERATIONS, QUERY_DEFAULTS,
};
use crate::idempotency::IDEMPOTENCY_KEY;
use crate::reading::ReadingPolicy;
use crate::retry::{Decision, Outcome, RetryPolicy, is_retryable_transport};
use crate::throttle::Throttle;
use crate::{Client, DEFAULT_BASE_URL, Error};

/// How a request carries the credential, as the spec's security schemes say: the generated
/// `API_KEY_SCHEME` (upstream's `apiKey`, the `x-api-key` header) and `API_KEY_ID_SCHEME`
/// (`apiKeyId`, `x-api-key-id`). The client never names a credential header itself, so a
/// synced spec that changes the scheme changes what the client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Today's spec uses `Header` only; a synced spec may use any of them.
#[allow(dead_code)]
pub(crate) enum CredentialScheme {
    /// A header that carries the credential as it is (lower case).
    Header(&'static str),
    /// `Authorization: Bearer <credential>`.
    Bearer,
    /// A query parameter that carries the credential.
    Query(&'static str),
    /// A scheme this version cannot send (the scheme's name and kind).
    Unsupported(&'static str),
}

impl CredentialScheme {
    /// The headers a call may not set because the credential goes there.
    pub(crate) fn owned_header(self) -> Option<&'static str> {
        match self {
            Self::Header(name) => Some(name),
            Self::Bearer => Some("authorization"),
            Self::Query(_) | Self::Unsupported(_) => None,
        }
    }
}

/// Where a built client puts its credential.
#[derive(Clone, PartialEq, Eq)]
enum CredentialPlace {
    /// In this header.
    Header(HeaderName),
    /// In this query parameter.
    Query(&'static str),
}

impl fmt::Display for CredentialPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(name) => write!(f, "{name}"),
            Self::Query(name) => write!(f, "?{name}"),
        }
    }
}

/// The header or query parameter and the value that carry `secret` as `scheme` says.
fn credential_for(
    scheme: CredentialScheme,
    secret: &str,
    what: &str,
) -> Result<(CredentialPlace, HeaderValue), Error> {
    let invalid = || {
        Error::Config(format!(
            "the {what} contains characters that cannot be sent in an HTTP header"
        ))
    };
    let (place, value) = match scheme {
        CredentialScheme::Header(name) => (
            // Checked, then made from the static text: a clone per request copies a pointer
            // instead of counting a reference to a copy.
            CredentialPlace::Header(match HeaderName::from_bytes(name.as_bytes()) {
                Ok(_) if name.bytes().all(|byte| !byte.is_ascii_uppercase()) => {
                    HeaderName::from_static(name)
                }
                Ok(parsed) => parsed,
                Err(_) => {
                    return Err(Error::Config(format!(
                        "the spec sends the {what} in the header {name:?}, which is not a valid \
                         header name"
                    )));
                }
            }),
            HeaderValue::from_str(secret).map_err(|_| invalid())?,
        ),
        CredentialScheme::Bearer => (
            CredentialPlace::Header(reqwest::header::AUTHORIZATION),
            HeaderValue::from_str(&format!("Bearer {secret}")).map_err(|_| invalid())?,
        ),
        CredentialScheme::Query(name) => (
            CredentialPlace::Query(name),
            HeaderValue::from_str(secret).map_err(|_| invalid())?,
        ),
        CredentialScheme::Unsupported(scheme) => {
            return Err(Error::Config(format!(
                "the API now takes the {what} through the security scheme {scheme}, which this \
                 version of the SDK cannot send"
            )));
        }
    };
    let mut value = value;
    value.set_sensitive(true);
    Ok((place, value))
}
/// Header that picks the WhatsApp number a tenant-scoped key acts for.
pub const NUMBER_HEADER: HeaderName = HeaderName::from_static("x-whatsapp-number-id");
/// The default request timeout (the official SDK's too).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default limit on a response body (16 MiB), success or error; see
/// [`ClientBuilder::max_response_size`].
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 16 * 1024 * 1024;
/// Redirects followed within the API's origin before a call fails.
pub const MAX_REDIRECTS: usize = 5;

/// A caller's settings for the reqwest client, applied before the SDK's own.
type HttpConfig = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// The user agent sent unless [`ClientBuilder::user_agent`] says otherwise.
pub fn default_user_agent() -> String {
    DEFAULT_USER_AGENT.to_owned()
}

/// [`default_user_agent`], static: sent as a static header value, which costs no reference
/// count (CONTRIBUTING, "Benchmarks").
const DEFAULT_USER_AGENT: &str = concat!("pilot-status-rs/", env!("CARGO_PKG_VERSION"));

/// What a [`Client`] adds to each request (internal: not reachable from outside the crate):
/// shared by a client's clones (every call owns one), and copied only when one call changes
/// it ([`CallOptions`](crate::CallOptions), [`Client::with_number`]). Built by
/// [`ClientBuilder`]; its `Debug` never shows the credential.
#[derive(Clone)]
pub struct ClientState(Arc<Settings>);

impl std::ops::Deref for ClientState {
    type Target = Settings;

    fn deref(&self) -> &Settings {
        &self.0
    }
}

impl std::ops::DerefMut for ClientState {
    /// The settings of this client alone: copied first if other clones share them.
    fn deref_mut(&mut self) -> &mut Settings {
        Arc::make_mut(&mut self.0)
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The settings behind a [`ClientState`].
#[derive(Clone)]
pub struct Settings {
    credential_place: CredentialPlace,
    /// Marked sensitive, so reqwest and `http` never print it.
    credential: HeaderValue,
    number_id: Option<Arc<str>>,
    user_agent: HeaderValue,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    max_response_size: Option<u64>,
    /// Whether calls that accept an `Idempotency-Key` get a fresh one when none is set.
    pub(crate) automatic_idempotency_keys: bool,
    /// Headers one call adds ([`CallOptions::header`](crate::CallOptions::header)).
    pub(crate) extra_headers: Vec<(HeaderName, HeaderValue)>,
    /// Why one call's options cannot be used; the call fails before sending anything.
    pub(crate) call_error: Option<String>,
    /// How success bodies are read (shared by the clones of a client).
    reading: ReadingPolicy,
    /// The pause after a 429 that every call of the client waits out (shared by the clones).
    pub(crate) throttle: Arc<Throttle>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field(
                "credential",
                &format_args!("{}: <redacted>", self.credential_place),
            )
            .field("number_id", &self.number_id)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field(
                "automatic_idempotency_keys",
                &self.automatic_idempotency_keys,
            )
            .field("extra_headers", &self.extra_headers)
            .field("strict_responses", &self.reading.strict)
            .field("throttle", &self.throttle)
            .finish()
    }
}

/// Which credential the client was given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CredentialKind {
    ApiKey,
    ApiKeyId,
}

impl CredentialKind {
    /// What it is called in messages, and how the spec says to send it.
    fn described(self) -> (&'static str, Option<CredentialScheme>) {
        match self {
            Self::ApiKey => ("API key", API_KEY_SCHEME),
            Self::ApiKeyId => ("API key id", API_KEY_ID_SCHEME),
        }
    }
}

/// Configures a [`Client`]; start with [`Client::builder`].
///
/// Whatever is configured, a built client
/// - sends the credential, `x-whatsapp-number-id` and request bodies only to the origin
///   (scheme, host, port) of the base URL: it follows up to [`MAX_REDIRECTS`] redirects
///   within that origin and refuses one to any other origin with
///   [`Error::RedirectRefused`], sending nothing there;
/// - reads at most [`ClientBuilder::max_response_size`] bytes of any response body (16 MiB
///   by default), failing with [`Error::ResponseTooLarge`] past it;
/// - gives every call of an operation that accepts an `Idempotency-Key` a fresh key when
///   you set none ([`ClientBuilder::automatic_idempotency_keys`]), so it can be retried;
/// - retries as [`RetryPolicy`] says (its documentation lists what is retried; a `POST`
///   without an `Idempotency-Key` is never sent twice).
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
    http_config: Option<HttpConfig>,
    number_id: Option<String>,
    retry: Option<RetryPolicy>,
    max_response_size: Option<Option<u64>>,
    automatic_idempotency_keys: Option<bool>,
    strict_responses: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = self.credential.as_ref().map(|(kind, _)| {
            let (what, scheme) = kind.described();
            match scheme.and_then(CredentialScheme::owned_header) {
                Some(header) => format!("{header}: <redacted>"),
                None => format!("{what}: <redacted>"),
            }
        });
        f.debug_struct("ClientBuilder")
            .field("credential", &credential)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("http_config", &self.http_config.is_some())
            .field("number_id", &self.number_id)
            .field("retry", &self.retry)
            .field("max_response_size", &self.max_response_size)
            .field(
                "automatic_idempotency_keys",
                &self.automatic_idempotency_keys,
            )
            .field("strict_responses", &self.strict_responses)
            .finish()
    }
}

/// The environment variable holding the API key (`ps_...`), read by [`Client::from_env`] and
/// the command line.
pub const API_KEY_VARIABLE: &str = "PILOT_STATUS_API_KEY";
/// The environment variable holding an API key id, used when [`API_KEY_VARIABLE`] is unset.
pub const API_KEY_ID_VARIABLE: &str = "PILOT_STATUS_API_KEY_ID";
/// The environment variable holding the number an account-wide key acts for.
pub const NUMBER_ID_VARIABLE: &str = "PILOT_STATUS_NUMBER_ID";
/// The environment variable holding another base URL (a proxy, a test server).
pub const BASE_URL_VARIABLE: &str = "PILOT_STATUS_BASE_URL";

/// The value of an environment variable, trimmed; `None` when unset or blank.
fn variable(name: &str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config(format!(
            "the environment variable {name} is not valid Unicode"
        ))),
    }
}

impl ClientBuilder {
    /// A builder with the settings of the environment, as the command line reads them: the
    /// credential from [`API_KEY_VARIABLE`] (`PILOT_STATUS_API_KEY`), else
    /// [`API_KEY_ID_VARIABLE`]; the number from [`NUMBER_ID_VARIABLE`]; the base URL from
    /// [`BASE_URL_VARIABLE`]. Unset or blank variables are left out; add or override settings
    /// before [`build`](Self::build).
    ///
    /// # Errors
    /// [`Error::Config`] when a variable is not valid Unicode (naming the variable, never
    /// its value).
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = Self::default();
        if let Some(key) = variable(API_KEY_VARIABLE)? {
            builder = builder.api_key(key);
        } else if let Some(key_id) = variable(API_KEY_ID_VARIABLE)? {
            builder = builder.api_key_id(key_id);
        }
        if let Some(number_id) = variable(NUMBER_ID_VARIABLE)? {
            builder = builder.number_id(number_id);
        }
        if let Some(url) = variable(BASE_URL_VARIABLE)? {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

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

    /// Time allowed for each attempt, from connecting to the last byte of the body (a
    /// retried call may take longer in all). Default: [`DEFAULT_TIMEOUT`]. It also applies
    /// with [`ClientBuilder::configure_http`].
    ///
    /// The attempts' deadlines are kept by one thread of the process
    /// (`pilot-status-deadlines`, started by the first call, asleep until the earliest
    /// deadline), on the real clock: `tokio::time::pause()` does not hold them.
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

    /// Configures the reqwest client the SDK builds (proxies, TLS roots, connect timeout,
    /// pool settings): `configure` gets `reqwest::Client::builder()` and returns it with
    /// your settings.
    ///
    /// The SDK then sets its redirect policy on it, replacing any you set: redirects are
    /// followed only within the base URL's origin, so no setting can send the credential
    /// elsewhere. It also turns reqwest's own retry layer off ([`RetryPolicy`] decides every
    /// retry). The SDK still sets the credential, user agent, number header and timeout
    /// on each request, and reads bodies up to [`ClientBuilder::max_response_size`].
    ///
    /// ```no_run
    /// # fn main() -> Result<(), pilot_status::Error> {
    /// let client = pilot_status::Client::builder()
    ///     .api_key(std::env::var("PILOT_STATUS_API_KEY").unwrap_or_default())
    ///     .configure_http(|http| http.connect_timeout(std::time::Duration::from_secs(5)))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "http_client")]
    pub fn configure_http(
        mut self,
        configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.http_config = Some(Arc::new(configure));
        self
    }

    /// The most bytes of a response body the client reads, for success and error
    /// responses alike; a longer body fails the call with [`Error::ResponseTooLarge`]
    /// (refused from its `Content-Length` before reading when declared). Default:
    /// [`DEFAULT_MAX_RESPONSE_SIZE`] (16 MiB); `None` for no limit. Of an error body, the
    /// error keeps the first [`MAX_KEPT_BODY`](crate::MAX_KEPT_BODY) bytes (64 KiB).
    pub fn max_response_size(mut self, limit: impl Into<Option<u64>>) -> Self {
        self.max_response_size = Some(limit.into());
        self
    }

    /// Sends `x-whatsapp-number-id` on every request: the number a tenant-scoped key acts
    /// for. The same name as every call's `.number_id(..)`, which overrides it for that call;
    /// see also [`Client::with_number`].
    pub fn number_id(mut self, number_id: impl Into<String>) -> Self {
        self.number_id = Some(number_id.into());
        self
    }

    /// How failed requests are retried. Default: [`RetryPolicy::default`] (2 retries);
    /// [`RetryPolicy::none`] turns retries off. What is retried and what is never sent
    /// twice: [`RetryPolicy`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Whether a call of an operation that accepts an `Idempotency-Key`
    /// (`messages().send(..)`) gets a fresh key when you set none. Default: `true`, so such a
    /// call is retried like a `GET` and applied at most once (see [`RetryPolicy`]). With
    /// `false`, a call without a key of yours is sent exactly once.
    pub fn automatic_idempotency_keys(mut self, enabled: bool) -> Self {
        self.automatic_idempotency_keys = Some(enabled);
        self
    }

    /// Whether a success body that does not fit its type fails the call. Default: `false`:
    /// the API accepted the call, so it succeeds, with the body read as far as it fits and
    /// each difference in [`ResponseValue::deviations`](crate::ResponseValue::deviations)
    /// (and logged once per operation and place as a `tracing` warning). With `true`, such a
    /// body is an [`Error::Decode`] (the API still accepted the call: [`Error::accepted`]),
    /// for programs and CI jobs that must stop on any drift from the documented shapes.
    ///
    /// Either way, a success body that is not JSON at all is an [`Error::Decode`].
    pub fn strict_responses(mut self, strict: bool) -> Self {
        self.strict_responses = strict;
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
        let (what, scheme) = kind.described();
        if secret.trim().is_empty() {
            return Err(Error::Config(format!("the {what} is empty")));
        }
        let scheme = scheme.ok_or_else(|| {
            Error::Config(format!(
                "the API no longer documents a way to send an {what} (the spec's security \
                 schemes)"
            ))
        })?;
        let (credential_place, credential) = credential_for(scheme, &secret, what)?;

        let user_agent = match self.user_agent {
            None => HeaderValue::from_static(DEFAULT_USER_AGENT),
            Some(user_agent) => HeaderValue::from_str(&user_agent).map_err(|_| {
                Error::Config(format!(
                    "the user agent {user_agent:?} is not a valid header value"
                ))
            })?,
        };
        if let Some(number_id) = &self.number_id {
            HeaderValue::from_str(number_id).map_err(|_| {
                Error::Config(format!(
                    "the number id {number_id:?} is not a valid header value"
                ))
            })?;
        }
        let base_url = checked_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let mut http = reqwest::Client::builder();
        if let Some(configure) = &self.http_config {
            http = configure(http);
        }
        let http_client = http
            .redirect(same_origin_redirects())
            // One retry layer, the client's policy: it also retries what reqwest's own layer
            // would (requests the server refused unread), and counts every attempt.
            .retry(reqwest::retry::never().max_retries_per_request(0))
            .build()
            .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?;
        let state = Settings {
            credential_place,
            credential,
            number_id: self.number_id.map(Arc::from),
            user_agent,
            timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
            retry: self.retry.unwrap_or_default(),
            max_response_size: self
                .max_response_size
                .unwrap_or(Some(DEFAULT_MAX_RESPONSE_SIZE)),
            automatic_idempotency_keys: self.automatic_idempotency_keys.unwrap_or(true),
            extra_headers: Vec::new(),
            call_error: None,
            reading: ReadingPolicy::new(self.strict_responses),
            throttle: Arc::new(Throttle::new()),
        };
        Ok(Client::new_with_client(
            &base_url,
            http_client,
            ClientState(Arc::new(state)),
        ))
    }
}

/// Leaves out of the query a parameter whose value is its documented default
/// (`QUERY_DEFAULTS`: `link=primary`), as the official SDK leaves it out.
fn leave_out_query_defaults(request: &mut reqwest::Request, operation: &str) {
    let defaults: Vec<(&str, &str)> = QUERY_DEFAULTS
        .iter()
        .filter(|(id, _, _)| *id == operation)
        .map(|(_, name, value)| (*name, *value))
        .collect();
    if defaults.is_empty() || request.url().query().is_none() {
        return;
    }
    let kept: Vec<(String, String)> = request
        .url()
        .query_pairs()
        .filter(|(name, value)| !defaults.contains(&(name.as_ref(), value.as_ref())))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let url = request.url_mut();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// Follows up to [`MAX_REDIRECTS`] redirects within the origin of the first request and
/// refuses any other: the request, with its credential, number header and body, is never
/// sent to another scheme, host or port.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(origin) = attempt.previous().first().map(Url::origin) else {
            return attempt.stop();
        };
        if origin != attempt.url().origin() {
            let refusal = Refusal::CrossOriginRedirect {
                status: attempt.status(),
                from: origin.ascii_serialization(),
                to: attempt.url().origin().ascii_serialization(),
            };
            return attempt.error(refusal);
        }
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(format!(
                "more than {MAX_REDIRECTS} redirects within {}",
                origin.ascii_serialization()
            ));
        }
        attempt.follow()
    })
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

    /// A client configured from the environment, as the command line is: the API key from
    /// `PILOT_STATUS_API_KEY` (or a key id from `PILOT_STATUS_API_KEY_ID`), the number from
    /// `PILOT_STATUS_NUMBER_ID`, the base URL from `PILOT_STATUS_BASE_URL`, and the defaults
    /// of [`ClientBuilder`] for the rest ([`ClientBuilder::from_env`] to change them).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), pilot_status::Error> {
    /// let client = pilot_status::Client::from_env()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] when neither key variable is set, or as [`ClientBuilder::build`]
    /// says. The message names the variables, never their values.
    pub fn from_env() -> Result<Self, Error> {
        let builder = ClientBuilder::from_env()?;
        if builder.credential.is_none() {
            return Err(Error::Config(format!(
                "no credential: set {API_KEY_VARIABLE} (or {API_KEY_ID_VARIABLE})"
            )));
        }
        builder.build()
    }

    /// A sibling client that sends `x-whatsapp-number-id: <number_id>` on every request,
    /// sharing this one's connection pool and settings. `self` is left untouched.
    ///
    /// A per-call `number_id(..)` on an operation that declares the header
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
        if let Some(message) = &state.call_error {
            return Err(progenitor_client::Error::InvalidRequest(message.clone()));
        }
        let headers = request.headers_mut();
        // Token-authenticated endpoints (`security: []`) get no key: least privilege.
        let authenticated = !PUBLIC_OPERATIONS.contains(&info.operation_id);
        if authenticated && let CredentialPlace::Header(name) = &state.credential_place {
            // A copy of its own rather than a clone: a clone shares a reference count with the
            // client's value, which the connection's thread drops and the caller's thread
            // takes again on the next call (a cache line passed between them each time).
            let mut credential = HeaderValue::from_bytes(state.credential.as_bytes())
                .unwrap_or_else(|_| state.credential.clone());
            credential.set_sensitive(true);
            headers.insert(name.clone(), credential);
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
        for (name, value) in &state.extra_headers {
            headers.insert(name.clone(), value.clone());
        }
        if authenticated
            && let CredentialPlace::Query(name) = &state.credential_place
            && let Ok(value) = state.credential.to_str()
        {
            request.url_mut().query_pairs_mut().append_pair(name, value);
        }
        leave_out_query_defaults(request, info.operation_id);
        crate::send::complete_body(request, info.operation_id);
        crate::multipart::encode(request, info.operation_id)
            .await
            .map_err(progenitor_client::Error::InvalidRequest)?;
        let headers = request.headers_mut();
        if let Some(key) = headers.get(IDEMPOTENCY_KEY) {
            crate::idempotency::check(key).map_err(progenitor_client::Error::InvalidRequest)?;
        }
        Ok(())
    }

    /// Sends the request and reads its body, retrying the whole exchange as [`RetryPolicy`]
    /// says, inside a `pilot_status.request` span (operation, method, path, idempotency key,
    /// final status, attempts, latency). No other header is recorded, so neither is the
    /// credential.
    ///
    /// The generated code gets the response with its body buffered, so a body that
    /// breaks off is a failed attempt here, not an error after the retries are over.
    ///
    /// The attempts' future is put on the heap once, rather than moved by value through each
    /// layer above it (the generated call's, the caller's, `block_on`'s): it is about 2 KB, and
    /// those copies cost more than the allocation (CONTRIBUTING, "Benchmarks"). Not an
    /// `async fn` either, which would keep the request a second time beside it.
    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        let span = tracing::info_span!(
            "pilot_status.request",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            idempotency_key = request
                .headers()
                .get(IDEMPOTENCY_KEY)
                .and_then(|key| key.to_str().ok()),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        // Timings are taken, and the span entered, only for a span someone records.
        if span.is_disabled() {
            Either::Left(Box::pin(self.send_with_retries(request, false)))
        } else {
            Either::Right(Box::pin(self.send_with_retries(request, true)).instrument(span))
        }
    }
}

impl Client {
    async fn send_with_retries(
        &self,
        mut request: reqwest::Request,
        traced: bool,
    ) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner.retry;
        let repeatable = RetryPolicy::is_repeatable(request.method(), request.headers());
        let started = traced.then(Instant::now);
        // The time allowed for each attempt, connect to last byte: the SDK reads the whole
        // body within the attempt, so one timer around it does what reqwest's request and
        // body timers would. The client's setting is not stored on the request: reqwest keeps
        // a request's timeout in its extensions map, which costs allocations on every call
        // and on every copy taken for a retry.
        let timeout = match request.timeout() {
            Some(_) => request.timeout_mut().take(),
            None => self.inner.timeout,
        };
        let throttle = &self.inner.throttle;
        let mut attempt = 1;
        loop {
            // After a 429 to any call of this client, every call waits out the same pause.
            if throttle.is_paused() {
                throttle.wait().await;
            }
            // A copy for the next attempt, taken before this one consumes the request. A
            // request that is not repeatable goes again only if the server refused it unread.
            let next = (attempt <= policy.retries())
                .then(|| copy_for_retry(&request))
                .flatten();
            let attempt_started = traced.then(Instant::now);
            let exchange = match timeout {
                Some(timeout) => {
                    // The deadline is armed before the request leaves, and not on the
                    // runtime's timer (src/deadline.rs says why).
                    let deadline = Deadline::after(timeout);
                    let exchange = std::pin::pin!(self.exchange(request));
                    match futures_util::future::select(deadline, exchange).await {
                        Either::Left(((), _)) => Exchange::TimedOut(timeout),
                        Either::Right((exchange, _)) => exchange,
                    }
                }
                None => self.exchange(request).await,
            };
            let status = exchange.status().map(|status| status.as_u16());
            tracing::debug!(
                attempt,
                status,
                latency_ms = attempt_started.map(|started| started.elapsed().as_millis() as u64),
                "attempt finished"
            );
            let decision = policy.decide(attempt, exchange.outcome());
            let next = next.filter(|_| repeatable || exchange.outcome().is_unprocessed());
            if status == Some(StatusCode::TOO_MANY_REQUESTS.as_u16()) {
                throttle.throttled(policy.pause_after_429(decision, exchange.outcome()));
            }
            match (decision, next) {
                (Decision::Wait(wait), Some(next)) => {
                    tracing::warn!(
                        attempt,
                        status,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    drop(exchange);
                    tokio::time::sleep(wait).await;
                    request = next;
                    attempt += 1;
                }
                _ => {
                    if let Some(started) = started {
                        let span = tracing::Span::current();
                        if let Some(status) = status {
                            span.record("status", status);
                        }
                        span.record("attempts", attempt);
                        span.record("latency_ms", started.elapsed().as_millis() as u64);
                    }
                    return exchange.into_response(&self.inner.reading).await;
                }
            }
        }
    }

    /// One attempt: send the request and read the whole body, within the size limit.
    async fn exchange(&self, request: reqwest::Request) -> Exchange {
        let mut response = match self.client.execute(request).await {
            Ok(response) => response,
            Err(error) => return Exchange::Failed(error),
        };
        let limit = self.inner.max_response_size;
        let status = response.status();
        if let (Some(limit), Some(declared)) = (limit, response.content_length())
            && declared > limit
        {
            return Exchange::TooLarge { status, limit };
        }
        let body = match read_body(&mut response, limit).await {
            Ok(Some(body)) => body,
            Ok(None) => {
                return Exchange::TooLarge {
                    status,
                    limit: limit.unwrap_or(u64::MAX),
                };
            }
            Err(error) => return Exchange::Failed(error),
        };
        Exchange::Complete { response, body }
    }
}

/// A copy of `request` for its next attempt; `None` when its body is a stream.
///
/// A request without a body is copied here rather than by [`reqwest::Request::try_clone`],
/// which also makes, and then replaces, an extensions map (where reqwest keeps only a
/// request's own timeout, which [`Client::send_with_retries`] takes out before the first
/// copy): allocations on every call, for a copy that is seldom used. A request with a body
/// goes through `try_clone`, the only way to share the body rather than copy it.
fn copy_for_retry(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    Some(copy)
}

/// Reads the whole body; `None` when it grows past `limit`. A body that arrives in one
/// piece is not copied; otherwise it is gathered into one buffer sized from
/// `Content-Length` when declared.
async fn read_body(
    response: &mut reqwest::Response,
    limit: Option<u64>,
) -> reqwest::Result<Option<Bytes>> {
    let over = |length: usize| limit.is_some_and(|limit| length as u64 > limit);
    let Some(first) = response.chunk().await? else {
        return Ok(Some(Bytes::new()));
    };
    if over(first.len()) {
        return Ok(None);
    }
    let Some(second) = response.chunk().await? else {
        return Ok(Some(first));
    };
    // Reserve what the response declares, but never more than the limit (or, without a
    // limit, than the default one) on the word of the server.
    let declared = response.content_length().unwrap_or(0);
    let reserve = declared.min(limit.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE));
    let mut body = BytesMut::with_capacity(usize::try_from(reserve).unwrap_or(0));
    for chunk in [first, second] {
        if over(body.len() + chunk.len()) {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    while let Some(chunk) = response.chunk().await? {
        if over(body.len() + chunk.len()) {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}

/// The body of a response, read whole within its attempt, and how the client reads it: the
/// SDK's decoder and the generated code take it from the response's extensions
/// ([`take_body`]) instead of reading the (spent) body stream.
#[derive(Clone)]
pub(crate) struct Buffered {
    /// The whole body.
    pub(crate) body: Bytes,
    /// How the client reads success bodies.
    pub(crate) reading: ReadingPolicy,
}

/// The body of a response the client returned: the buffered one, or (a response that did not
/// come through the client's hooks) what is left to read.
pub(crate) async fn take_body(
    response: &mut reqwest::Response,
) -> reqwest::Result<(Bytes, Option<ReadingPolicy>)> {
    match response.extensions_mut().remove::<Buffered>() {
        Some(Buffered { body, reading }) => Ok((body, Some(reading))),
        None => {
            let mut body = BytesMut::new();
            while let Some(chunk) = response.chunk().await? {
                body.extend_from_slice(&chunk);
            }
            Ok((body.freeze(), None))
        }
    }
}

/// How one attempt ended.
enum Exchange {
    /// A whole response: its body read into `body`.
    Complete {
        response: reqwest::Response,
        body: Bytes,
    },
    /// A response whose body is over the limit (not read further).
    TooLarge { status: StatusCode, limit: u64 },
    /// No whole response within the attempt's time.
    TimedOut(Duration),
    /// No whole response: the request failed or the body broke off.
    Failed(reqwest::Error),
}

impl Exchange {
    fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Complete { response, .. } => Some(response.status()),
            Self::TooLarge { status, .. } => Some(*status),
            Self::TimedOut(_) | Self::Failed(_) => None,
        }
    }

    fn outcome(&self) -> Outcome<'_> {
        match self {
            Self::Complete { response, body } => Outcome::Status {
                status: response.status(),
                headers: response.headers(),
                body,
            },
            Self::TooLarge { .. } => Outcome::Transport {
                retryable: false,
                unprocessed: false,
            },
            Self::TimedOut(_) => Outcome::Transport {
                retryable: true,
                unprocessed: false,
            },
            Self::Failed(error) => Outcome::Transport {
                retryable: is_retryable_transport(error),
                unprocessed: crate::retry::is_unprocessed(error),
            },
        }
    }

    /// What the generated code gets: the response, its body buffered in its extensions, or
    /// the error (a refusal or a timeout travels as the source of a `reqwest::Error`).
    async fn into_response(self, reading: &ReadingPolicy) -> reqwest::Result<reqwest::Response> {
        match self {
            Self::Complete { mut response, body } => {
                let reading = reading.clone();
                response.extensions_mut().insert(Buffered { body, reading });
                Ok(response)
            }
            // The failures' futures are boxed: unboxed, they would enlarge every call's future
            // (and the memory each call touches) for a path a success never takes.
            Self::TooLarge { status, limit } => {
                Box::pin(refused(Refusal::TooLarge { status, limit })).await
            }
            Self::TimedOut(timeout) => {
                Box::pin(failed_body(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!("no whole response within {} ms", timeout.as_millis()),
                    )
                }))
                .await
            }
            Self::Failed(error) => Err(error),
        }
    }
}

/// A `reqwest::Error` whose source is `refusal`.
async fn refused(refusal: Refusal) -> reqwest::Result<reqwest::Response> {
    failed_body(|| refusal.clone()).await
}

/// A `reqwest::Error` whose source is `cause()`: the error of reading a body whose only item
/// is that cause (`reqwest::Error::is_timeout` sees an `io::ErrorKind::TimedOut` there).
async fn failed_body<E>(cause: impl Fn() -> E) -> reqwest::Result<reqwest::Response>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let failing = || {
        let item = Err::<Bytes, E>(cause());
        let body = reqwest::Body::wrap_stream(futures_util::stream::iter([item]));
        reqwest::Response::from(http::Response::new(body))
    };
    match failing().bytes().await {
        Err(error) => Err(error),
        // Not reached: the body's only item is the error. Were it, the generated code
        // would meet the error reading this body.
        Ok(_) => Ok(failing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_credential_goes_where_the_spec_says() {
        let (place, value) =
            credential_for(CredentialScheme::Header("x-api-key"), "ps_1", "API key").unwrap();
        assert!(place == CredentialPlace::Header(HeaderName::from_static("x-api-key")));
        assert_eq!(value, "ps_1");
        assert!(value.is_sensitive());

        let (place, value) = credential_for(CredentialScheme::Bearer, "ps_1", "API key").unwrap();
        assert!(place == CredentialPlace::Header(reqwest::header::AUTHORIZATION));
        assert_eq!(value, "Bearer ps_1");
        assert!(value.is_sensitive());

        let (place, _) =
            credential_for(CredentialScheme::Query("api_key"), "ps_1", "API key").unwrap();
        assert_eq!(place.to_string(), "?api_key");

        let Err(Error::Config(message)) = credential_for(
            CredentialScheme::Unsupported("oauth (oauth2)"),
            "ps_1",
            "API key",
        ) else {
            panic!("an OAuth scheme cannot be sent");
        };
        assert_eq!(
            message,
            "the API now takes the API key through the security scheme oauth (oauth2), which \
             this version of the SDK cannot send"
        );
    }

    #[test]
    fn todays_spec_sends_the_key_and_the_key_id_in_their_headers() {
        assert_eq!(API_KEY_SCHEME, Some(CredentialScheme::Header("x-api-key")));
        assert_eq!(
            API_KEY_ID_SCHEME,
            Some(CredentialScheme::Header("x-api-key-id"))
        );
    }
}
