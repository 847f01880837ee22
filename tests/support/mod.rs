//! A scriptable HTTP/1.1 server on a loopback address, for the faults an ordinary mock
//! server cannot produce: connection resets, connections closed before the response, stalls,
//! bodies that break off, redirects to another origin. Each connection carries one request
//! (every response says `connection: close`), so each attempt of the client is one request
//! here, recorded in arrival order.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// A request as the server read it (the send endpoint's stand-in reads them the same way).
pub use pilot_status_send_server::Request;

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A whole response with `content-length`.
    Respond {
        /// The status code.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// A response whose body is sent with `transfer-encoding: chunked` (no length declared),
    /// in 64 KiB chunks.
    Chunked {
        /// The status code.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
    /// Resets the connection (TCP RST) without answering.
    Reset,
    /// Closes the connection (FIN) without answering.
    Close,
    /// Answers nothing for a minute: the client's timeout fires first.
    Stall,
    /// Sends the head declaring `declared` body bytes and the first `sent` bytes, then
    /// breaks the connection as `then` says.
    BrokenBody {
        /// The status code.
        status: u16,
        /// The declared `content-length`.
        declared: usize,
        /// The bytes actually sent.
        sent: Vec<u8>,
        /// How the connection ends.
        then: Break,
    },
}

/// How a broken body ends.
#[derive(Debug, Clone, Copy)]
pub enum Break {
    /// A reset.
    Reset,
    /// A close.
    Close,
    /// Nothing more for a minute (a timeout while reading the body).
    Stall,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &str) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::Respond {
            status,
            headers: vec![("location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// Adds a header to a `Respond` reply.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(usize, &Request) -> Reply + Send + Sync;

/// A running server; it stops with the test's runtime.
pub struct Server {
    /// Where it listens.
    pub address: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Starts a server on 127.0.0.1; `handler` gets each request's 0-based arrival number.
    pub async fn start(handler: impl Fn(usize, &Request) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_on("127.0.0.1", handler).await
    }

    /// Starts a server on `ip`.
    pub async fn start_on(
        ip: &str,
        handler: impl Fn(usize, &Request) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind((ip, 0))
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("local address");
        let log: Arc<Mutex<Vec<Request>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let accept_log = Arc::clone(&log);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = Arc::clone(&accept_log);
                let handler = Arc::clone(&handler);
                tokio::spawn(serve(stream, log, handler));
            }
        });
        Self { address, log }
    }

    /// `http://<address>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The requests received so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().expect("the log lock").clone()
    }
}

async fn serve(mut stream: TcpStream, log: Arc<Mutex<Vec<Request>>>, handler: Arc<Handler>) {
    let Some(request) = pilot_status_send_server::read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut log = log.lock().expect("the log lock");
        log.push(request.clone());
        log.len() - 1
    };
    let reply = handler(index, &request);
    let _ = answer(stream, reply).await;
}

async fn answer(mut stream: TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = head(status, &headers);
            head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Reply::Chunked { status, body } => {
            let mut head = head(
                status,
                &[("content-type".into(), "application/json".into())],
            );
            head.push_str("transfer-encoding: chunked\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            for chunk in body.chunks(64 * 1024) {
                stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                stream.write_all(chunk).await?;
                stream.write_all(b"\r\n").await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
            stream.shutdown().await
        }
        Reply::Reset => reset(stream),
        Reply::Close => stream.shutdown().await,
        Reply::Stall => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(())
        }
        Reply::BrokenBody {
            status,
            declared,
            sent,
            then,
        } => {
            let mut head = head(
                status,
                &[("content-type".into(), "application/json".into())],
            );
            head.push_str(&format!("content-length: {declared}\r\n\r\n"));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&sent).await?;
            stream.flush().await?;
            match then {
                Break::Reset => {
                    // Let the partial body reach the client before the reset discards it.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    reset(stream)
                }
                Break::Close => stream.shutdown().await,
                Break::Stall => {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    Ok(())
                }
            }
        }
    }
}

fn head(status: u16, headers: &[(String, String)]) -> String {
    let mut head = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head
}

/// Closes with a TCP RST (zero linger).
fn reset(stream: TcpStream) -> std::io::Result<()> {
    stream.set_zero_linger()?;
    drop(stream);
    Ok(())
}
