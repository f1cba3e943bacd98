//! The login rate limiter: failed logins counted per account and per client address.
//!
//! An account is locked after a few failures within a window (against guessing one password),
//! an address after more (against trying many accounts from one place; higher, because an
//! office shares one address). IPv6 clients are counted by their /64, which one client usually
//! holds whole. Memory is bounded: each table keeps at most `capacity` entries, dropping expired
//! ones first and then the one that failed longest ago. An attacker who floods the tables from
//! that many addresses can push an old entry out; the Argon2 work of every attempt still bounds
//! their rate.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// How many failures lock what, for how long, and how much is remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimiterParams {
    /// Failures of one account within `window` before it is refused.
    pub per_account: u32,
    /// Failures from one address within `window` before it is refused.
    pub per_address: u32,
    /// How long failures count, from the first.
    pub window: Duration,
    /// Entries kept per table.
    pub capacity: usize,
}

impl Default for LimiterParams {
    /// Five failures per account and twenty per address in fifteen minutes, as OWASP's
    /// authentication cheat sheet suggests for lockouts; 10,000 entries per table (about 1 MiB).
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 20,
            window: Duration::from_secs(15 * 60),
            capacity: 10_000,
        }
    }
}

/// A login refused before its password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// When trying again can succeed.
    pub retry_after: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    first: Instant,
    last: Instant,
}

#[derive(Debug)]
struct Counts<K> {
    entries: HashMap<K, Entry>,
}

impl<K: Hash + Eq + Clone> Counts<K> {
    fn new() -> Self {
        Self { entries: HashMap::new() }
    }

    fn check(&self, key: &K, limit: u32, window: Duration, now: Instant) -> Result<(), Refused> {
        match self.entries.get(key) {
            Some(e) if e.failures >= limit && now < e.first + window => {
                Err(Refused { retry_after: e.first + window - now })
            }
            _ => Ok(()),
        }
    }

    fn fail(&mut self, key: &K, window: Duration, capacity: usize, now: Instant) {
        if let Some(e) = self.entries.get_mut(key) {
            if now < e.first + window {
                e.failures = e.failures.saturating_add(1);
                e.last = now;
                return;
            }
        } else if self.entries.len() >= capacity {
            self.entries.retain(|_, e| now < e.first + window);
            if self.entries.len() >= capacity
                && let Some(oldest) =
                    self.entries.iter().min_by_key(|(_, e)| e.last).map(|(k, _)| k.clone())
            {
                self.entries.remove(&oldest);
            }
        }
        self.entries.insert(key.clone(), Entry { failures: 1, first: now, last: now });
    }
}

/// Counts failed logins; the server keeps one behind a mutex.
#[derive(Debug)]
pub struct LoginLimiter {
    params: LimiterParams,
    accounts: Counts<String>,
    addresses: Counts<IpAddr>,
}

/// The part of an address one client holds: the whole IPv4 address, the /64 of an IPv6 one.
fn client_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

/// Account names are compared as the store compares them: without case.
fn account_key(account: &str) -> String {
    account.to_lowercase()
}

impl LoginLimiter {
    /// An empty limiter.
    #[must_use]
    pub fn new(params: LimiterParams) -> Self {
        Self { params, accounts: Counts::new(), addresses: Counts::new() }
    }

    /// Whether a login for `account` from `address` may be tried now.
    ///
    /// # Errors
    /// [`Refused`] with the longer wait when the account or the address is locked.
    pub fn check(&self, account: &str, address: IpAddr, now: Instant) -> Result<(), Refused> {
        let p = &self.params;
        let by_account = self.accounts.check(&account_key(account), p.per_account, p.window, now);
        let by_address = self.addresses.check(&client_of(address), p.per_address, p.window, now);
        match (by_account, by_address) {
            (Err(a), Err(b)) => Err(Refused { retry_after: a.retry_after.max(b.retry_after) }),
            (Err(r), Ok(())) | (Ok(()), Err(r)) => Err(r),
            (Ok(()), Ok(())) => Ok(()),
        }
    }

    /// Counts a failed login (wrong password, or an unknown account: both count alike).
    pub fn record_failure(&mut self, account: &str, address: IpAddr, now: Instant) {
        let p = self.params;
        self.accounts.fail(&account_key(account), p.window, p.capacity, now);
        self.addresses.fail(&client_of(address), p.window, p.capacity, now);
    }

    /// A successful login clears its account's failures; the address keeps its count, since
    /// others behind it may be guessing.
    pub fn record_success(&mut self, account: &str) {
        self.accounts.entries.remove(&account_key(account));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> LimiterParams {
        LimiterParams {
            per_account: 3,
            per_address: 5,
            window: Duration::from_secs(60),
            capacity: 4,
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_account_locks_after_its_failures_until_the_window_ends() {
        let mut limiter = LoginLimiter::new(params());
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(limiter.check("Ann", ip("10.0.0.1"), t0).is_ok(), "attempt {i}");
            limiter.record_failure("Ann", ip("10.0.0.1"), t0);
        }
        let later = t0 + Duration::from_secs(20);
        // From another address too, and whatever the case of the name.
        assert_eq!(
            limiter.check("ann", ip("10.0.0.2"), later),
            Err(Refused { retry_after: Duration::from_secs(40) })
        );
        assert!(limiter.check("bob", ip("10.0.0.2"), later).is_ok());
        assert!(limiter.check("ann", ip("10.0.0.2"), t0 + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn an_address_locks_after_trying_many_accounts() {
        let mut limiter = LoginLimiter::new(LimiterParams { capacity: 100, ..params() });
        let t0 = Instant::now();
        for i in 0..5 {
            limiter.record_failure(&format!("user{i}"), ip("192.0.2.7"), t0);
        }
        assert!(limiter.check("someone-else", ip("192.0.2.7"), t0).is_err());
        assert!(limiter.check("someone-else", ip("192.0.2.8"), t0).is_ok());
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() {
        let mut limiter = LoginLimiter::new(LimiterParams { capacity: 100, ..params() });
        let t0 = Instant::now();
        for i in 0..5 {
            limiter.record_failure(&format!("u{i}"), ip(&format!("2001:db8:1:2::{i}")), t0);
        }
        assert!(limiter.check("x", ip("2001:db8:1:2:ffff::1"), t0).is_err());
        assert!(limiter.check("x", ip("2001:db8:1:3::1"), t0).is_ok());
        for i in 0..5 {
            limiter.record_failure(&format!("v{i}"), ip("::ffff:198.51.100.1"), t0);
        }
        assert!(limiter.check("x", ip("198.51.100.1"), t0).is_err());
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let mut limiter = LoginLimiter::new(LimiterParams { capacity: 100, ..params() });
        let t0 = Instant::now();
        for _ in 0..2 {
            limiter.record_failure("ann", ip("10.0.0.1"), t0);
        }
        limiter.record_success("ann");
        for _ in 0..2 {
            limiter.record_failure("ann", ip("10.0.0.1"), t0);
        }
        assert!(limiter.check("ann", ip("10.0.0.9"), t0).is_ok(), "old failures still counted");
        limiter.record_failure("ann", ip("10.0.0.1"), t0);
        assert!(limiter.check("carl", ip("10.0.0.1"), t0).is_err(), "address was cleared");
    }

    #[test]
    fn memory_stays_bounded_dropping_the_stalest_entry() {
        let mut limiter = LoginLimiter::new(params());
        let t0 = Instant::now();
        for _ in 0..3 {
            limiter.record_failure("victim", ip("10.0.0.1"), t0);
        }
        for i in 0..1000_u32 {
            let at = t0 + Duration::from_millis(u64::from(i) + 1);
            limiter.record_failure(&format!("flood{i}"), IpAddr::from(i.to_be_bytes()), at);
            assert!(limiter.accounts.entries.len() <= 4 && limiter.addresses.entries.len() <= 4);
        }
        // The newest entries are kept: the last flood account is still counted.
        assert!(limiter.accounts.entries.contains_key("flood999"));
    }

    #[test]
    fn expired_entries_go_before_live_ones() {
        let mut limiter = LoginLimiter::new(params());
        let t0 = Instant::now();
        for i in 0..3 {
            limiter.record_failure(&format!("old{i}"), ip("10.0.0.1"), t0);
        }
        let later = t0 + Duration::from_secs(30);
        for _ in 0..3 {
            limiter.record_failure("victim", ip("10.0.0.2"), later);
        }
        let much_later = t0 + Duration::from_secs(70);
        for i in 0..3 {
            limiter.record_failure(&format!("new{i}"), ip("10.0.0.3"), much_later);
        }
        assert!(limiter.check("victim", ip("10.0.0.4"), much_later).is_err());
    }
}
