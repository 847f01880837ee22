//! Getting pages: over HTTP (bounded concurrency, timeouts, retries with exponential
//! backoff, `Retry-After` honoured) or from an offline mirror directory.
//!
//! Every page comes from the origin (scheme, host, port) it was asked from: a redirect to
//! another origin is refused before it is followed, and the final URL of every response is
//! checked again. A page larger than [`FetchOptions::max_page_size`] is refused while it is
//! read.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::StreamExt;
use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use url::Url;

/// How pages are fetched.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Pages fetched at once.
    pub concurrency: usize,
    /// Time allowed for one request (connect to last byte).
    pub timeout: Duration,
    /// Attempts after the first one, for connect errors, timeouts, 429 and 5xx.
    pub retries: u32,
    /// The first backoff delay; each further one doubles, up to [`MAX_BACKOFF`].
    pub backoff: Duration,
    /// The longest `Retry-After` accepted; a longer one fails the page.
    pub max_retry_after: Duration,
    /// The largest page accepted, in bytes; a larger one fails the sync.
    pub max_page_size: u64,
}

/// Pages fetched at once by default.
pub const DEFAULT_CONCURRENCY: u16 = 16;

/// The longest wait between two attempts when the server gives no `Retry-After`.
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// The largest page accepted by default (4 MiB; the docs' pages are tens of KiB).
pub const DEFAULT_MAX_PAGE_SIZE: u64 = 4 * 1024 * 1024;

/// Redirects followed within a page's origin.
pub const MAX_REDIRECTS: usize = 10;

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            concurrency: usize::from(DEFAULT_CONCURRENCY),
            timeout: Duration::from_secs(20),
            retries: 3,
            backoff: Duration::from_millis(250),
            max_retry_after: Duration::from_secs(60),
            max_page_size: DEFAULT_MAX_PAGE_SIZE,
        }
    }
}

/// Why a page could not be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The server kept answering with an error status.
    #[error("HTTP {status} (after {attempts} attempt{})", plural(*attempts))]
    Status {
        /// The last status.
        status: StatusCode,
        /// Attempts made.
        attempts: u32,
    },
    /// Every attempt timed out.
    #[error("timed out after {timeout:?} (after {attempts} attempt{})", plural(*attempts))]
    Timeout {
        /// The per-request timeout.
        timeout: Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// No connection could be made.
    #[error("cannot connect: {message} (after {attempts} attempt{})", plural(*attempts))]
    Connect {
        /// What failed.
        message: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The server asked to wait longer than allowed.
    #[error("HTTP 429 asking to retry after {wait:?}, longer than the {limit:?} allowed")]
    RetryAfterTooLong {
        /// What the server asked for.
        wait: Duration,
        /// `FetchOptions::max_retry_after`.
        limit: Duration,
    },
    /// The page is served from another origin than the one it was asked from (a redirect
    /// to another host, port or scheme).
    #[error("served from {location}, outside {origin}: pages are only read from the docs site")]
    OffSite {
        /// Where the page was redirected to, or finally served from.
        location: String,
        /// The origin it was asked from.
        origin: String,
    },
    /// The page is larger than [`FetchOptions::max_page_size`].
    #[error("larger than the limit of {limit} bytes (--max-page-size)")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// The body is not UTF-8 text.
    #[error("the body is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// The mirror has no such file.
    #[error("no file {} in the mirror", path.display())]
    Missing {
        /// The file looked for.
        path: PathBuf,
    },
    /// The mirror file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Any other HTTP failure.
    #[error("{0}")]
    Http(String),
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Where pages come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The live site (or a test server).
    Http(reqwest::Client),
    /// An offline mirror laid out like the site: `<dir>/llms.txt`, `<dir>/playground/...`.
    Dir(PathBuf),
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Its text.
    pub text: String,
    /// Attempts it took (1 without retries).
    pub attempts: u32,
}

impl Source {
    /// An HTTP source with the SDK-independent user agent of the tool, following redirects
    /// only within the origin of each page (up to [`MAX_REDIRECTS`]).
    pub fn http() -> Result<Self, FetchError> {
        reqwest::Client::builder()
            .user_agent(concat!("pilot-status-rs-xtask/", env!("CARGO_PKG_VERSION")))
            .redirect(same_origin_redirects())
            .build()
            .map(Source::Http)
            .map_err(|error| FetchError::Http(cause_chain(&error)))
    }

    /// Gets one page.
    pub async fn get(&self, url: &Url, options: &FetchOptions) -> Result<Page, FetchError> {
        match self {
            Source::Http(client) => get_http(client, url, options).await,
            Source::Dir(root) => get_file(root, url, options.max_page_size),
        }
    }

    /// Gets many pages, `options.concurrency` at a time; `done` is called as each one
    /// finishes. Results keep the order of `urls`.
    pub async fn get_all(
        &self,
        urls: &[Url],
        options: &FetchOptions,
        mut done: impl FnMut(&Url, &Result<Page, FetchError>),
    ) -> Vec<Result<Page, FetchError>> {
        let mut results: Vec<Option<Result<Page, FetchError>>> =
            urls.iter().map(|_| None).collect();
        let mut stream = futures::stream::iter(urls.iter().enumerate())
            .map(|(index, url)| async move { (index, self.get(url, options).await) })
            .buffer_unordered(options.concurrency.max(1));
        while let Some((index, result)) = stream.next().await {
            done(&urls[index], &result);
            results[index] = Some(result);
        }
        results
            .into_iter()
            .map(|result| result.unwrap_or_else(|| Err(FetchError::Http("not fetched".to_owned()))))
            .collect()
    }
}

/// The mirror file of a URL: its path under the mirror root.
pub fn mirror_path(root: &Path, url: &Url) -> PathBuf {
    let mut path = root.to_path_buf();
    for segment in url.path_segments().into_iter().flatten() {
        // A decoded segment may hold `/` or `..` (`%2F`, `%2e%2e`): only plain names are
        // joined, so a URL never reaches outside the mirror.
        let decoded = percent_decode(segment);
        for part in decoded.split(['/', '\\']) {
            if !part.is_empty() && part != "." && part != ".." {
                path.push(part);
            }
        }
    }
    path
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(hex) = segment.get(index + 1..index + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A redirect to another origin, refused before it is followed.
#[derive(Debug, thiserror::Error)]
#[error("redirect to {location}, outside {origin}")]
struct OffSiteRedirect {
    location: String,
    origin: String,
}

fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(origin) = attempt.previous().first().map(Url::origin) else {
            return attempt.stop();
        };
        if attempt.url().origin() != origin {
            let refusal = OffSiteRedirect {
                location: attempt.url().to_string(),
                origin: origin.ascii_serialization(),
            };
            return attempt.error(refusal);
        }
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        attempt.follow()
    })
}

/// The off-site redirect in the cause chain of `error`, if that is what stopped it.
fn off_site(error: &reqwest::Error) -> Option<FetchError> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(redirect) = current.downcast_ref::<OffSiteRedirect>() {
            return Some(FetchError::OffSite {
                location: redirect.location.clone(),
                origin: redirect.origin.clone(),
            });
        }
        cause = current.source();
    }
    None
}

/// An error and each of its causes: `a: b: c`.
fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        let next = current.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        cause = current.source();
    }
    text
}

fn get_file(root: &Path, url: &Url, max_page_size: u64) -> Result<Page, FetchError> {
    let path = mirror_path(root, url);
    if std::fs::metadata(&path).is_ok_and(|metadata| metadata.len() > max_page_size) {
        return Err(FetchError::TooLarge {
            limit: max_page_size,
        });
    }
    let bytes = std::fs::read(&path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            FetchError::Missing { path: path.clone() }
        } else {
            FetchError::Read {
                path: path.clone(),
                source,
            }
        }
    })?;
    Ok(Page {
        text: utf8(bytes)?,
        attempts: 1,
    })
}

fn utf8(bytes: Vec<u8>) -> Result<String, FetchError> {
    String::from_utf8(bytes).map_err(|error| FetchError::NotUtf8 {
        offset: error.utf8_error().valid_up_to(),
    })
}

/// The delay before attempt `attempt + 1` (1-based `attempt`).
pub fn backoff(options: &FetchOptions, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    options.backoff.saturating_mul(factor).min(MAX_BACKOFF)
}

/// `Retry-After` as seconds or an HTTP date.
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// How one attempt at a page ended.
enum Body {
    /// The whole body.
    Read(Vec<u8>),
    /// It grew past the limit.
    TooLarge,
}

/// Reads a body up to `limit` bytes (refused at once when its declared length is larger).
async fn read_limited(response: &mut reqwest::Response, limit: u64) -> reqwest::Result<Body> {
    if response
        .content_length()
        .is_some_and(|declared| declared > limit)
    {
        return Ok(Body::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(Body::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Body::Read(body))
}

async fn get_http(
    client: &reqwest::Client,
    url: &Url,
    options: &FetchOptions,
) -> Result<Page, FetchError> {
    let attempts = options.retries + 1;
    let mut last = FetchError::Http("no attempt made".to_owned());
    for attempt in 1..=attempts {
        let mut wait = backoff(options, attempt);
        match client
            .get(url.clone())
            .timeout(options.timeout)
            .send()
            .await
        {
            Ok(mut response) => {
                // The redirect policy refuses other origins; this also covers a client
                // built without it.
                if response.url().origin() != url.origin() {
                    return Err(FetchError::OffSite {
                        location: response.url().to_string(),
                        origin: url.origin().ascii_serialization(),
                    });
                }
                let status = response.status();
                if status.is_success() {
                    match read_limited(&mut response, options.max_page_size).await {
                        Ok(Body::Read(body)) => {
                            return Ok(Page {
                                text: utf8(body)?,
                                attempts: attempt,
                            });
                        }
                        Ok(Body::TooLarge) => {
                            return Err(FetchError::TooLarge {
                                limit: options.max_page_size,
                            });
                        }
                        Err(error) if error.is_timeout() => {
                            last = FetchError::Timeout {
                                timeout: options.timeout,
                                attempts: attempt,
                            };
                        }
                        Err(error) => last = FetchError::Http(cause_chain(&error)),
                    }
                } else if status == StatusCode::TOO_MANY_REQUESTS {
                    if let Some(asked) = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|value| value.to_str().ok())
                        .and_then(retry_after)
                    {
                        if asked > options.max_retry_after {
                            return Err(FetchError::RetryAfterTooLong {
                                wait: asked,
                                limit: options.max_retry_after,
                            });
                        }
                        wait = asked;
                    }
                    last = FetchError::Status {
                        status,
                        attempts: attempt,
                    };
                } else if status.is_server_error() {
                    last = FetchError::Status {
                        status,
                        attempts: attempt,
                    };
                } else {
                    // 404 and other client errors do not improve with time.
                    return Err(FetchError::Status {
                        status,
                        attempts: attempt,
                    });
                }
            }
            Err(error) => {
                if let Some(refused) = off_site(&error) {
                    return Err(refused);
                }
                if error.is_timeout() {
                    last = FetchError::Timeout {
                        timeout: options.timeout,
                        attempts: attempt,
                    };
                } else if error.is_connect() || error.is_request() {
                    last = FetchError::Connect {
                        message: std::error::Error::source(&error)
                            .map(cause_chain)
                            .unwrap_or_else(|| error.to_string()),
                        attempts: attempt,
                    };
                } else {
                    return Err(FetchError::Http(cause_chain(&error)));
                }
            }
        }
        if attempt < attempts {
            tokio::time::sleep(wait).await;
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let options = FetchOptions {
            backoff: Duration::from_millis(250),
            ..FetchOptions::default()
        };
        let delays: Vec<u128> = (1..=8).map(|a| backoff(&options, a).as_millis()).collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 4000, 8000, 10000, 10000]);
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        let soon = std::time::SystemTime::now() + Duration::from_secs(30);
        let parsed = retry_after(&httpdate::fmt_http_date(soon)).unwrap();
        assert!(
            parsed <= Duration::from_secs(30) && parsed >= Duration::from_secs(28),
            "{parsed:?}"
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn mirror_paths_follow_url_paths() {
        let url =
            Url::parse("https://docs.x/pt-BR/playground/numbers/listar-n%C3%BAmeros.md").unwrap();
        assert_eq!(
            mirror_path(Path::new("/m"), &url),
            Path::new("/m/pt-BR/playground/numbers/listar-números.md")
        );
        let sneaky = Url::parse("https://docs.x/a/..%2F..%2Fetc%2Fpasswd").unwrap();
        assert_eq!(
            mirror_path(Path::new("/m"), &sneaky),
            Path::new("/m/a/etc/passwd")
        );
    }
}
