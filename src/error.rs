//! The SDK's one error type.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::types::ApiError;
use crate::{Deviation, ResponseValue};

/// Everything that can go wrong when calling the Pilot Status API.
///
/// Every call returns this type. The useful questions have helpers: [`Error::status`],
/// [`Error::code`] (the API's machine-readable code, such as `VALIDATION_ERROR`),
/// [`Error::message`], [`Error::is_rate_limited`], [`Error::is_timeout`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status that is not a success (4xx, 5xx, ...).
    #[error(transparent)]
    Api(Box<ErrorResponse>),
    /// No usable response arrived: connection refused or reset, DNS or TLS failure, the
    /// timeout elapsed, or the body broke off. The message names every cause, down to the
    /// operating system's (`... : Connection refused (os error 111)`).
    #[error("{operation}: request failed: {}", CauseChain(source))]
    Network {
        /// The operation id of the call.
        operation: &'static str,
        /// What reqwest reported.
        #[source]
        source: reqwest::Error,
        /// The `Idempotency-Key` the call sent, to repeat it safely under the same key.
        idempotency_key: Option<String>,
    },
    /// The API answered with a redirect to another origin (scheme, host or port), which the
    /// client refuses to follow: the credential, the number header and the request body
    /// never leave the origin of the base URL. Never retried.
    #[error(
        "{operation}: refused to follow a redirect (HTTP {status}) from {from} to another \
         origin, {to}: credentials and request bodies are only sent to the API's origin"
    )]
    RedirectRefused {
        /// The operation id of the call.
        operation: &'static str,
        /// The redirect status (301, 302, 303, 307, 308).
        status: StatusCode,
        /// The origin the request was sent to (`https://pilotstatus.com.br`).
        from: String,
        /// The origin the redirect points to; only the origin, never the path or query.
        to: String,
        /// The `Idempotency-Key` the call sent.
        idempotency_key: Option<String>,
    },
    /// The response body is larger than [`ClientBuilder::max_response_size`]
    /// (16 MiB unless configured); reading stopped at the limit. Never retried.
    ///
    /// [`ClientBuilder::max_response_size`]: crate::ClientBuilder::max_response_size
    #[error(
        "{operation}: the HTTP {status} response body is larger than the limit of {limit} bytes \
         (ClientBuilder::max_response_size)"
    )]
    ResponseTooLarge {
        /// The operation id of the call.
        operation: &'static str,
        /// The status of the response.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
        /// The `Idempotency-Key` the call sent.
        idempotency_key: Option<String>,
    },
    /// The API answered with a success status (it accepted the call), but the body is not
    /// the documented type. The status, headers and body are kept
    /// ([`UndecodedResponse`]); [`Error::accepted`] is true. Never retried: the API acted.
    #[error(transparent)]
    Decode(Box<UndecodedResponse>),
    /// The request could not be built: a parameter, header value or body was invalid.
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        /// The operation id of the call.
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The client could not be configured (see [`crate::ClientBuilder::build`]).
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// What kind of failure an [`Error`] is, by HTTP status family or by what went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the request is invalid (`VALIDATION_ERROR`, `INVALID_DATE_RANGE`, ...).
    Validation,
    /// 401: missing or invalid credentials.
    Authentication,
    /// 402: the plan or balance does not cover the call (`PAYMENT_FAILED`, ...).
    Payment,
    /// 403: the key's scope does not allow the call (`TENANT_SCOPE_NOT_ALLOWED`, ...).
    Forbidden,
    /// 404: no such resource.
    NotFound,
    /// 409: a conflict, including a reused or running `Idempotency-Key`.
    Conflict,
    /// 429: too many requests; see [`Error::retry_after`].
    RateLimited,
    /// 5xx: the API failed.
    Server,
    /// Any other non-success status.
    OtherStatus,
    /// No response arrived in time.
    Timeout,
    /// No response arrived (connection, DNS, TLS, broken body).
    Network,
    /// A redirect to another origin was refused ([`Error::RedirectRefused`]).
    RedirectRefused,
    /// The response body exceeded the size limit ([`Error::ResponseTooLarge`]).
    ResponseTooLarge,
    /// A success body that is not the documented type.
    Decode,
    /// The request could not be built.
    InvalidRequest,
    /// The client could not be configured.
    Config,
}

/// The most of a body an error keeps for diagnostics (64 KiB): [`ErrorResponse::body`] and
/// the `body` of [`Error::Decode`] hold at most this many bytes, so a stored or logged error
/// never pins a large response in memory.
pub const MAX_KEPT_BODY: usize = 64 * 1024;

/// A response whose status is not a success: status, headers, the decoded `{error, code}`
/// and the first [`MAX_KEPT_BODY`] bytes of the body.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    body_len: usize,
    api_error: Option<ApiError>,
    body_retry_after: Option<Duration>,
    idempotency_key: Option<String>,
}

impl ErrorResponse {
    /// Keeps a failed response. The `{error, code}` body and `retryAfterSeconds` are decoded
    /// from the whole body; only its first [`MAX_KEPT_BODY`] bytes are kept.
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let api_error = serde_json::from_slice::<ApiError>(&body)
            .ok()
            .map(|mut api_error| {
                for text in [&mut api_error.error, &mut api_error.code]
                    .into_iter()
                    .flatten()
                {
                    truncate_text(text, MAX_KEPT_BODY);
                }
                api_error
            });
        let body_retry_after = crate::retry::retry_after_in_body(&body);
        let body_len = body.len();
        Self {
            operation,
            status,
            headers,
            body: kept(body),
            body_len,
            api_error,
            body_retry_after,
            idempotency_key: None,
        }
    }

    /// The `Idempotency-Key` the call sent (the caller's, or the one the SDK made), to
    /// repeat it safely under the same key.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The operation id of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received, cut to its first [`MAX_KEPT_BODY`] bytes (see
    /// [`ErrorResponse::is_body_truncated`]).
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// True when the body was longer than [`MAX_KEPT_BODY`] and [`ErrorResponse::body`]
    /// holds only its beginning.
    pub fn is_body_truncated(&self) -> bool {
        self.body_len > self.body.len()
    }

    /// The length of the whole body as received.
    pub fn body_len(&self) -> usize {
        self.body_len
    }

    /// The decoded `{error, code}` body, when the body is a JSON object.
    pub fn api_error(&self) -> Option<&ApiError> {
        self.api_error.as_ref()
    }

    /// The API's machine-readable error code, such as `VALIDATION_ERROR`.
    pub fn code(&self) -> Option<&str> {
        self.api_error.as_ref()?.code.as_deref()
    }

    /// The API's human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.api_error.as_ref()?.error.as_deref()
    }

    /// The body as JSON, for members beyond `error` and `code` (`retryAfterSeconds`, ...);
    /// `None` when it is not JSON or was truncated.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// How long the API asks to wait: the `Retry-After` header (seconds or HTTP date), else
    /// the body's `retryAfterSeconds`. The retry loop reads the same two places.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers).or(self.body_retry_after)
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(code) = self.code() {
            write!(f, " ({code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorResponse {}

/// A success response (the API accepted the call) whose body could not be read: not JSON, or
/// (with [`ClientBuilder::strict_responses`]) not the documented type. The status, headers
/// and the first [`MAX_KEPT_BODY`] bytes of the body, why it did not decode, and, for JSON,
/// where it differs from the type.
///
/// [`ClientBuilder::strict_responses`]: crate::ClientBuilder::strict_responses
#[derive(Debug)]
pub struct UndecodedResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    body_len: usize,
    source: serde_json::Error,
    deviations: Vec<Deviation>,
    idempotency_key: Option<String>,
}

impl UndecodedResponse {
    /// The operation id of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The success status the API answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received, cut to its first [`MAX_KEPT_BODY`] bytes.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// True when the body was longer than [`MAX_KEPT_BODY`].
    pub fn is_body_truncated(&self) -> bool {
        self.body_len > self.body.len()
    }

    /// The body as JSON, to read what the type could not; `None` when it is not JSON or was
    /// truncated.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Why the body did not decode, with the line and column (the first difference serde met).
    pub fn decode_error(&self) -> &serde_json::Error {
        &self.source
    }

    /// Every place where a JSON body differs from the documented type (what a tolerant client
    /// would have read past); empty when the body is not JSON.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The `Idempotency-Key` the call sent.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }
}

impl fmt::Display for UndecodedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the API accepted the call (HTTP {}), but its response body ",
            self.operation, self.status
        )?;
        const SHOWN: usize = 5;
        match self.deviations.as_slice() {
            [] => write!(f, "cannot be read: {}", self.source),
            deviations => {
                write!(f, "does not match the documented type: ")?;
                for (index, deviation) in deviations.iter().take(SHOWN).enumerate() {
                    if index > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{deviation}")?;
                }
                if deviations.len() > SHOWN {
                    write!(f, "; and {} more", deviations.len() - SHOWN)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for UndecodedResponse {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl Error {
    /// The HTTP status the API answered with: of a failed response, or of a success whose
    /// body did not decode ([`Error::accepted`]).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(response) => Some(response.status()),
            Self::Decode(undecoded) => Some(undecoded.status()),
            _ => None,
        }
    }

    /// The response headers, when the API answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(response) => Some(response.headers()),
            Self::Decode(undecoded) => Some(undecoded.headers()),
            _ => None,
        }
    }

    /// The response body as received (its first [`MAX_KEPT_BODY`] bytes), when the API
    /// answered.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Self::Api(response) => Some(response.body()),
            Self::Decode(undecoded) => Some(undecoded.body()),
            _ => None,
        }
    }

    /// True when the API answered with a success status, so it accepted (and may have
    /// performed) the call, although the SDK could not read its answer
    /// ([`Error::Decode`]): do not repeat it blindly; the body is in [`Error::body`].
    pub fn accepted(&self) -> bool {
        matches!(self, Self::Decode(_))
    }

    /// The success response whose body did not decode.
    pub fn undecoded(&self) -> Option<&UndecodedResponse> {
        match self {
            Self::Decode(undecoded) => Some(undecoded),
            _ => None,
        }
    }

    /// The `Idempotency-Key` the call sent (yours, or the one the SDK made for an operation
    /// that accepts one): repeat the call with `.idempotency_key(key)` to have the API apply
    /// it at most once.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Self::Api(response) => response.idempotency_key(),
            Self::Decode(undecoded) => undecoded.idempotency_key(),
            Self::Network {
                idempotency_key, ..
            }
            | Self::RedirectRefused {
                idempotency_key, ..
            }
            | Self::ResponseTooLarge {
                idempotency_key, ..
            } => idempotency_key.as_deref(),
            Self::InvalidRequest { .. } | Self::Config(_) => None,
        }
    }

    /// Records the key the call sent.
    fn with_idempotency_key(mut self, key: Option<String>) -> Self {
        match &mut self {
            Self::Api(response) => response.idempotency_key = key,
            Self::Decode(undecoded) => undecoded.idempotency_key = key,
            Self::Network {
                idempotency_key, ..
            }
            | Self::RedirectRefused {
                idempotency_key, ..
            }
            | Self::ResponseTooLarge {
                idempotency_key, ..
            } => *idempotency_key = key,
            Self::InvalidRequest { .. } | Self::Config(_) => {}
        }
        self
    }

    /// The API's machine-readable error code, such as `VALIDATION_ERROR`.
    pub fn code(&self) -> Option<&str> {
        self.response()?.code()
    }

    /// The API's human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.response()?.message()
    }

    /// The failed response, when the API answered.
    pub fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Self::Api(response) => Some(response),
            _ => None,
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Api(response) => match response.status().as_u16() {
                400 => ErrorKind::Validation,
                401 => ErrorKind::Authentication,
                402 => ErrorKind::Payment,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                409 => ErrorKind::Conflict,
                429 => ErrorKind::RateLimited,
                500..=599 => ErrorKind::Server,
                _ => ErrorKind::OtherStatus,
            },
            Self::Network { source, .. } if source.is_timeout() => ErrorKind::Timeout,
            Self::Network { .. } => ErrorKind::Network,
            Self::RedirectRefused { .. } => ErrorKind::RedirectRefused,
            Self::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Self::Decode(_) => ErrorKind::Decode,
            Self::InvalidRequest { .. } => ErrorKind::InvalidRequest,
            Self::Config(_) => ErrorKind::Config,
        }
    }

    /// True for HTTP 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// How long the API asked to wait before trying again (429 `Retry-After`, or
    /// `retryAfterSeconds` in the body), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.response()?.retry_after()
    }

    /// True for a 409 about the `Idempotency-Key`: `IDEMPOTENCY_KEY_REUSED` (same key,
    /// another body) or `IDEMPOTENCY_KEY_IN_USE` (the first call is still running).
    pub fn is_idempotency_conflict(&self) -> bool {
        self.status() == Some(StatusCode::CONFLICT)
            && matches!(
                self.code(),
                Some("IDEMPOTENCY_KEY_REUSED" | "IDEMPOTENCY_KEY_IN_USE")
            )
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Network { source, .. } if source.is_timeout())
    }

    /// True when no response arrived (connect, DNS, TLS, timeout, broken body).
    pub fn is_network(&self) -> bool {
        matches!(self, Self::Network { .. })
    }
}

/// Turns the result of a generated `send()` whose success is not JSON (the activation
/// audio stream) into the SDK's types; called by the generated code (see the
/// `sdk_error_type` rule of `pilot-status-codegen`).
pub(crate) async fn from_generated<T, E>(
    operation: &'static str,
    idempotency_key: Option<String>,
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<ResponseValue<T>, Error> {
    match result {
        Ok(value) => Ok(value),
        // Boxed, as in `decoded`: the error path's future would otherwise enlarge the call's.
        Err(error) => Err(Box::pin(generated_error(operation, error))
            .await
            .with_idempotency_key(idempotency_key)),
    }
}

/// Decodes the success of a generated `send()` into its documented type and records the
/// `Idempotency-Key` the call sent in the result (a response header, unless the API sent one)
/// or the error.
///
/// A body that does not fit the type is read as far as it fits ([`crate::reading`]), with its
/// deviations, unless the client reads strictly ([`ClientBuilder::strict_responses`]); a body
/// that is not JSON (or a strict client's body that does not fit) is [`Error::Decode`], which
/// keeps the status, headers and body.
///
/// [`ClientBuilder::strict_responses`]: crate::ClientBuilder::strict_responses
pub(crate) async fn decoded<T: serde::de::DeserializeOwned, E>(
    operation: &'static str,
    idempotency_key: Option<String>,
    result: Result<reqwest::Response, progenitor_client::Error<E>>,
) -> Result<ResponseValue<T>, Error> {
    let response = match result {
        Ok(response) => response,
        Err(error) => {
            // Boxed: the error path's future would otherwise enlarge every call's future.
            return Err(Box::pin(generated_error(operation, error))
                .await
                .with_idempotency_key(idempotency_key));
        }
    };
    let mut response = response;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let (body, policy) = match crate::client::take_body(&mut response).await {
        Ok(read) => read,
        Err(source) => {
            return Err(
                Error::from_reqwest(operation, source).with_idempotency_key(idempotency_key)
            );
        }
    };
    // A success records the key the call sent among its headers, unless the API echoed it.
    let with_key = |mut headers: HeaderMap| {
        if let Some(key) = &idempotency_key
            && !headers.contains_key(crate::idempotency::IDEMPOTENCY_KEY)
            && let Ok(value) = reqwest::header::HeaderValue::from_str(key)
        {
            headers.insert(crate::idempotency::IDEMPOTENCY_KEY, value);
        }
        headers
    };
    let source = match serde_json::from_slice::<T>(&body) {
        Ok(inner) => return Ok(ResponseValue::new(inner, status, with_key(headers))),
        Err(source) => source,
    };
    let strict = policy.as_ref().is_some_and(|policy| policy.strict);
    let read = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|received| {
            crate::reading::tolerant::<T>(&received)
                .map(|(inner, deviations)| (inner, deviations, received))
        });
    let deviations = match read {
        Some((inner, deviations, received)) if !strict => {
            if let Some(policy) = &policy {
                policy.warn(operation, &deviations);
            }
            let headers = with_key(headers);
            return Ok(if deviations.is_empty() {
                ResponseValue::new(inner, status, headers)
            } else {
                ResponseValue::deviating(inner, status, headers, deviations, received)
            });
        }
        Some((_, deviations, _)) => deviations,
        None => Vec::new(),
    };
    Err(Error::Decode(Box::new(UndecodedResponse {
        operation,
        status,
        headers,
        body_len: body.len(),
        body: kept(body),
        source,
        deviations,
        idempotency_key,
    })))
}

/// The SDK error for an error of the generated code.
async fn generated_error<E>(operation: &'static str, error: progenitor_client::Error<E>) -> Error {
    use progenitor_client::Error as Generated;
    match error {
        Generated::InvalidRequest(message) | Generated::Custom(message) => {
            Error::InvalidRequest { operation, message }
        }
        Generated::CommunicationError(source)
        | Generated::InvalidUpgrade(source)
        | Generated::ResponseBodyError(source) => Error::from_reqwest(operation, source),
        // Not produced any more: JSON successes are decoded by `decoded`. Kept for
        // completeness, without a status to show.
        Generated::InvalidResponsePayload(body, source) => {
            Error::Decode(Box::new(UndecodedResponse {
                operation,
                status: StatusCode::OK,
                headers: HeaderMap::new(),
                body_len: body.len(),
                body: kept(body),
                source,
                deviations: Vec::new(),
                idempotency_key: None,
            }))
        }
        Generated::UnexpectedResponse(mut response) => {
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            match crate::client::take_body(&mut response).await {
                Ok((body, _)) => Error::Api(Box::new(ErrorResponse::new(
                    operation, status, headers, body,
                ))),
                Err(source) => Error::from_reqwest(operation, source),
            }
        }
        // The generated code no longer decodes documented errors itself (they arrive as
        // `UnexpectedResponse` with their body); kept for completeness.
        Generated::ErrorResponse(response) => Error::Api(Box::new(ErrorResponse::new(
            operation,
            response.status(),
            response.headers().clone(),
            Bytes::new(),
        ))),
    }
}

impl Error {
    /// Classifies a reqwest error: the client's own refusals (a cross-origin redirect, a body
    /// over the limit) travel inside it as its source and become their own variants.
    pub(crate) fn from_reqwest(operation: &'static str, source: reqwest::Error) -> Self {
        match Refusal::find(&source) {
            Some(Refusal::CrossOriginRedirect { status, from, to }) => Self::RedirectRefused {
                operation,
                status: *status,
                from: from.clone(),
                to: to.clone(),
                idempotency_key: None,
            },
            Some(Refusal::TooLarge { status, limit }) => Self::ResponseTooLarge {
                operation,
                status: *status,
                limit: *limit,
                idempotency_key: None,
            },
            None if source.is_builder() => Self::InvalidRequest {
                operation,
                message: CauseChain(&source).to_string(),
            },
            None => Self::Network {
                operation,
                source,
                idempotency_key: None,
            },
        }
    }
}

/// Why the client itself ended an exchange. The `exec` hook can only return a
/// `reqwest::Error`, so a refusal travels as the source of one and
/// [`Error::from_reqwest`] turns it into its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    /// A redirect to another origin.
    #[error("redirect (HTTP {status}) from {from} to another origin, {to}, refused")]
    CrossOriginRedirect {
        status: StatusCode,
        from: String,
        to: String,
    },
    /// A body over the size limit.
    #[error("the HTTP {status} response body is larger than the limit of {limit} bytes")]
    TooLarge { status: StatusCode, limit: u64 },
}

impl Refusal {
    /// The refusal somewhere in the cause chain of `error`.
    pub(crate) fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a Refusal> {
        let mut current = Some(error);
        while let Some(error) = current {
            if let Some(refusal) = error.downcast_ref::<Refusal>() {
                return Some(refusal);
            }
            current = error.source();
        }
        None
    }
}

/// At most [`MAX_KEPT_BODY`] bytes of `body`, copied when cut so the rest can be freed.
fn kept(body: Bytes) -> Bytes {
    if body.len() <= MAX_KEPT_BODY {
        body
    } else {
        Bytes::copy_from_slice(&body[..MAX_KEPT_BODY])
    }
}

/// Cuts `text` to at most `max` bytes, on a character boundary.
fn truncate_text(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// Displays an error followed by each of its causes (`a: b: c`), skipping a cause whose
/// text the previous message already contains.
struct CauseChain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for CauseChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut previous = self.0.to_string();
        f.write_str(&previous)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            let text = error.to_string();
            if !text.is_empty() && !previous.contains(&text) {
                write!(f, ": {text}")?;
            }
            previous = text;
            cause = error.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct Layer(&'static str, #[source] Option<Box<Layer>>);

    #[test]
    fn a_cause_chain_names_every_distinct_cause() {
        let error = Layer(
            "error sending request",
            Some(Box::new(Layer(
                "client error (Connect)",
                Some(Box::new(Layer("Connection refused", None))),
            ))),
        );
        assert_eq!(
            CauseChain(&error).to_string(),
            "error sending request: client error (Connect): Connection refused"
        );
        let repeated = Layer("timed out", Some(Box::new(Layer("timed out", None))));
        assert_eq!(CauseChain(&repeated).to_string(), "timed out");
    }

    #[test]
    fn an_error_body_is_kept_up_to_the_cap_and_decoded_whole() {
        let mut body =
            br#"{"error":"slow down","code":"RATE_LIMITED","retryAfterSeconds":7,"pad":""#.to_vec();
        body.extend(std::iter::repeat_n(b'a', 2 * MAX_KEPT_BODY));
        body.extend_from_slice(br#""}"#);
        let length = body.len();
        let response = ErrorResponse::new(
            "get_numbers",
            StatusCode::TOO_MANY_REQUESTS,
            HeaderMap::new(),
            Bytes::from(body),
        );
        assert_eq!(response.body().len(), MAX_KEPT_BODY);
        assert!(response.is_body_truncated());
        assert_eq!(response.body_len(), length);
        assert_eq!(response.code(), Some("RATE_LIMITED"));
        assert_eq!(response.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(response.json(), None, "a truncated body is not JSON");

        let small = ErrorResponse::new(
            "get_numbers",
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            Bytes::from_static(b"{}"),
        );
        assert!(!small.is_body_truncated());
        assert_eq!(small.body().as_ref(), b"{}");

        let long_message = format!(r#"{{"error":"{}","code":"X"}}"#, "é".repeat(MAX_KEPT_BODY));
        let response = ErrorResponse::new(
            "get_numbers",
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            Bytes::from(long_message),
        );
        let message = response.message().unwrap_or_default();
        assert!(message.len() <= MAX_KEPT_BODY && message.starts_with("éé"));
        assert_eq!(response.code(), Some("X"));
    }
}
