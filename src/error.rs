//! The SDK's one error type.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::ResponseValue;
use crate::types::ApiError;

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
    /// timeout elapsed, or the body broke off.
    #[error("{operation}: request failed: {source}")]
    Network {
        /// The operation id of the call.
        operation: &'static str,
        /// What reqwest reported.
        #[source]
        source: reqwest::Error,
    },
    /// A success status whose body is not the documented type.
    #[error("{operation}: the response body does not match the documented type: {source}")]
    Decode {
        /// The operation id of the call.
        operation: &'static str,
        /// The body as received.
        body: Bytes,
        /// Why it did not decode.
        #[source]
        source: serde_json::Error,
    },
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
    /// A success body that is not the documented type.
    Decode,
    /// The request could not be built.
    InvalidRequest,
    /// The client could not be configured.
    Config,
}

/// A response whose status is not a success, kept whole.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    api_error: Option<ApiError>,
}

impl ErrorResponse {
    /// Keeps a failed response, decoding the `{error, code}` body when it is one.
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let api_error = serde_json::from_slice::<ApiError>(&body).ok();
        Self {
            operation,
            status,
            headers,
            body,
            api_error,
        }
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

    /// The body exactly as received.
    pub fn body(&self) -> &Bytes {
        &self.body
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

    /// The body as JSON, for members beyond `error` and `code` (`retryAfterSeconds`, ...).
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// How long the API asks to wait: the `Retry-After` header (seconds or HTTP date), else
    /// the body's `retryAfterSeconds`.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers).or_else(|| {
            let seconds = self.json()?.get("retryAfterSeconds")?.as_f64()?;
            (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
        })
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

impl Error {
    /// The HTTP status of a failed response.
    pub fn status(&self) -> Option<StatusCode> {
        self.response().map(ErrorResponse::status)
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
            Self::Decode { .. } => ErrorKind::Decode,
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

/// Turns the result of a generated `send()` into the SDK's types; called by the generated
/// code (see the `sdk_error_type` rule of `pilot-status-spec`).
pub(crate) async fn from_generated<T, E>(
    operation: &'static str,
    result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
) -> Result<ResponseValue<T>, Error> {
    use progenitor_client::Error as Generated;
    let error = match result {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    Err(match error {
        Generated::InvalidRequest(message) | Generated::Custom(message) => {
            Error::InvalidRequest { operation, message }
        }
        Generated::CommunicationError(source)
        | Generated::InvalidUpgrade(source)
        | Generated::ResponseBodyError(source) => {
            if source.is_builder() {
                Error::InvalidRequest {
                    operation,
                    message: source.to_string(),
                }
            } else {
                Error::Network { operation, source }
            }
        }
        Generated::InvalidResponsePayload(body, source) => Error::Decode {
            operation,
            body,
            source,
        },
        Generated::UnexpectedResponse(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            match response.bytes().await {
                Ok(body) => Error::Api(Box::new(ErrorResponse::new(
                    operation, status, headers, body,
                ))),
                Err(source) => Error::Network { operation, source },
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
    })
}
