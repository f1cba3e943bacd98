//! Connecting the processes of a job before timely takes the sockets over.
//!
//! Timely's own connection code retries an unreachable peer forever and prints its progress on
//! standard output, where a job's results go. Here each process listens on its own address,
//! dials every process listed before it and accepts every process listed after it (the order
//! timely expects, and the same handshake: the dialler's index as a big-endian u64), within a
//! deadline; waiting is reported once per peer on standard error.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::DistError;

/// How long to wait between attempts to reach a peer.
const RETRY: Duration = Duration::from_millis(100);

/// One socket per process of `hosts`, `None` at `me`'s own place.
pub(crate) fn connect(
    hosts: &[String],
    me: usize,
    timeout: Duration,
) -> Result<Vec<Option<TcpStream>>, DistError> {
    let deadline = Instant::now() + timeout;
    let unreachable = |who: usize| DistError::Unreachable {
        process: me,
        peer: who,
        address: hosts[who].clone(),
        seconds: timeout.as_secs(),
    };
    let listener = TcpListener::bind(&hosts[me]).map_err(|e| {
        DistError::Cluster(format!(
            "process {me} cannot listen on {}, its line in the hosts: {e}",
            hosts[me]
        ))
    })?;
    let mut sockets: Vec<Option<TcpStream>> = (0..hosts.len()).map(|_| None).collect();
    for (peer, address) in hosts.iter().enumerate().take(me) {
        let mut said = false;
        let stream = loop {
            match dial(address) {
                Ok(stream) => break stream,
                Err(e) if Instant::now() < deadline => {
                    if !std::mem::replace(&mut said, true) {
                        eprintln!("process {me}: waiting for process {peer} at {address} ({e})");
                    }
                    std::thread::sleep(RETRY);
                }
                Err(_) => return Err(unreachable(peer)),
            }
        };
        let handshake = (&stream).write_all(&(me as u64).to_be_bytes());
        handshake.map_err(|e| DistError::Cluster(format!("process {peer} at {address}: {e}")))?;
        sockets[peer] = Some(stream);
    }
    listener.set_nonblocking(true).map_err(|e| DistError::io(&hosts[me], e))?;
    while let Some(missing) = (me + 1..hosts.len()).find(|&p| sockets[p].is_none()) {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false).map_err(|e| DistError::io(&hosts[me], e))?;
                stream
                    .set_read_timeout(Some(RETRY * 50))
                    .map_err(|e| DistError::io(&hosts[me], e))?;
                let mut index = [0u8; 8];
                (&stream).read_exact(&mut index).map_err(|e| DistError::io(&hosts[me], e))?;
                stream.set_read_timeout(None).map_err(|e| DistError::io(&hosts[me], e))?;
                let peer = u64::from_be_bytes(index) as usize;
                if peer <= me || peer >= hosts.len() {
                    return Err(DistError::Cluster(format!(
                        "process {me} was dialled by a process calling itself {peer}; every process must be given the same hosts"
                    )));
                }
                stream.set_nodelay(true).map_err(|e| DistError::io(&hosts[me], e))?;
                sockets[peer] = Some(stream);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    return Err(unreachable(missing));
                }
                std::thread::sleep(RETRY);
            }
            Err(e) => return Err(DistError::io(&hosts[me], e)),
        }
    }
    Ok(sockets)
}

/// One attempt to reach `address`.
fn dial(address: &str) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
    for addr in address.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, RETRY * 10) {
            Ok(stream) => {
                stream.set_nodelay(true)?;
                return Ok(stream);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}
