//! One round of a bulk-synchronous job on timely: every worker hands over the records it sends,
//! timely routes each to its destination worker (over TCP when that worker lives in another
//! process), and the round ends when timely's progress tracking says every record of the round
//! has arrived everywhere.
//!
//! The jobs are written as a few such rounds rather than as one dataflow with a feedback loop,
//! because each of their steps (a union-find over local edges, a label vote, a SALSA ranking)
//! is a whole-partition computation between exchanges, and driving rounds from outside keeps
//! that code plain Rust. A round costs one epoch of progress tracking: every worker announces
//! that it is done sending and waits to hear the same from every other worker, so its latency
//! is one all-to-all message exchange (a few hundred microseconds on loopback, a network round
//! trip between machines) plus the records' own transfer.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use timely::ExchangeData;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::generic::operator::Operator;
use timely::dataflow::operators::vec::Input;
use timely::dataflow::operators::{Exchange, Probe};
use timely::dataflow::{InputHandleVec, ProbeHandle};
use timely::worker::Worker;

use crate::Traffic;

/// The worker that owns node `node`: a multiplicative hash, so ids that share low bits (R-MAT's
/// hubs, or files whose ids step by the worker count) still spread evenly.
pub(crate) fn owner(node: impl Into<u64>, peers: usize) -> usize {
    (node.into().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize % peers
}

/// An exchange of `D` records between all workers, one round at a time.
pub(crate) struct Rounds<D: ExchangeData + Clone> {
    input: InputHandleVec<u64, (u32, D)>,
    probe: ProbeHandle<u64>,
    /// Records taken in, by round: a worker that finished a round may already send the next
    /// one's records while this worker still waits for the end of the current one.
    received: Rc<RefCell<BTreeMap<u64, Vec<D>>>>,
    workers_per_process: usize,
    index: usize,
    /// Records, and their bytes, sent since the worker last stepped.
    pending: usize,
    pending_bytes: usize,
    /// The bytes a record takes on the wire, without its destination.
    size: fn(&D) -> usize,
}

/// A record's in-memory size: for fixed-width records, bincode's size within a few bytes.
fn in_memory_size<D>(_: &D) -> usize {
    std::mem::size_of::<D>()
}

/// How many records, or bytes of records, a worker sends between steps while a round's input is
/// being read (bytes matter for records that carry whole rows, some of them a hub's millions).
const STEP_EVERY: usize = 1 << 16;
const STEP_BYTES: usize = 16 << 20;

impl<D: ExchangeData + Clone> Rounds<D> {
    /// Builds the exchange's dataflow on `worker` (every worker must build the same ones, in the
    /// same order, as timely matches dataflows by creation order).
    pub(crate) fn new(worker: &mut Worker, workers_per_process: usize) -> Self {
        Self::sized(worker, workers_per_process, in_memory_size::<D>)
    }

    /// [`Rounds::new`] for records whose size varies (rows), counted by `size`.
    pub(crate) fn sized(
        worker: &mut Worker,
        workers_per_process: usize,
        size: fn(&D) -> usize,
    ) -> Self {
        let received = Rc::new(RefCell::new(BTreeMap::new()));
        let sink = Rc::clone(&received);
        let (input, probe) = worker.dataflow::<u64, _, _>(|scope| {
            let (input, stream) = scope.new_input::<(u32, D)>();
            // The probe sits after the operator that takes the records in, so it passes a
            // round only once every record of the round has been taken in here.
            let (probe, _) = stream
                .exchange(|record| u64::from(record.0))
                .unary::<CapacityContainerBuilder<Vec<()>>, _, _, _>(Pipeline, "Receive", |_, _| {
                    move |records, _| {
                        let mut sink = sink.borrow_mut();
                        records.for_each(|stamp, batch| {
                            // Every record is sent at its round's time, so has a least one.
                            if let Some(&time) = stamp.least() {
                                let round: &mut Vec<D> = sink.entry(time).or_default();
                                round.extend(batch.drain(..).map(|r| r.1));
                            }
                        });
                    }
                })
                .probe();
            (input, probe)
        });
        Self {
            input,
            probe,
            received,
            workers_per_process,
            index: worker.index(),
            pending: 0,
            pending_bytes: 0,
            size,
        }
    }

    /// Sends `(destination worker, record)` pairs and returns the records sent to this worker
    /// in this round, once every worker has finished sending.
    pub(crate) fn round(
        &mut self,
        worker: &mut Worker,
        outgoing: impl IntoIterator<Item = (usize, D)>,
        traffic: &mut Traffic,
    ) -> Vec<D> {
        let mut received = Vec::new();
        for (to, record) in outgoing {
            self.send(worker, to, record, traffic, &mut |r| received.push(r));
        }
        self.close(worker, traffic, &mut |r| received.push(r));
        received
    }

    /// Sends one record of the current round. Every [`STEP_EVERY`] records the worker steps, so
    /// records move on while a long input is still being read, and the records that have arrived
    /// here are handed to `sink`: a round of a hundred million arcs is never held whole, neither
    /// in timely's queues nor in a vector.
    pub(crate) fn send(
        &mut self,
        worker: &mut Worker,
        to: usize,
        record: D,
        traffic: &mut Traffic,
        sink: &mut impl FnMut(D),
    ) {
        traffic.records += 1;
        // The record's size plus the 4-byte destination; for fixed-width fields bincode writes
        // them without padding, so the in-memory size is an upper bound.
        let bytes = (self.size)(&record) + 4;
        if to / self.workers_per_process != self.index / self.workers_per_process {
            traffic.remote_records += 1;
            traffic.remote_bytes += bytes as u64;
        }
        self.input.send((to as u32, record));
        self.pending += 1;
        self.pending_bytes += bytes;
        if self.pending >= STEP_EVERY || self.pending_bytes >= STEP_BYTES {
            self.pending = 0;
            self.pending_bytes = 0;
            worker.step();
            let now = *self.input.time();
            self.drain(now, sink);
        }
    }

    /// Ends the current round: waits until every worker has finished sending and every record
    /// of the round has arrived, handing the rest of this worker's records to `sink`.
    pub(crate) fn close(
        &mut self,
        worker: &mut Worker,
        traffic: &mut Traffic,
        sink: &mut impl FnMut(D),
    ) {
        let now = *self.input.time();
        self.input.advance_to(now + 1);
        self.pending = 0;
        self.pending_bytes = 0;
        // Park rather than spin while peers finish: workers often outnumber cores.
        while self.probe.less_than(&(now + 1)) {
            worker.step_or_park(None);
            self.drain(now, sink);
        }
        self.drain(now, sink);
        traffic.rounds += 1;
    }

    /// Hands the records of round `round` that have arrived so far to `sink`.
    fn drain(&mut self, round: u64, sink: &mut impl FnMut(D)) {
        let batch = self.received.borrow_mut().remove(&round);
        batch.into_iter().flatten().for_each(&mut *sink);
    }
}

/// Sums of a few numbers over all workers, the same on every worker (each adds the workers'
/// vectors in worker order, so floating-point sums agree bit for bit and every worker takes the
/// same decision to stop or go on).
pub(crate) struct Totals {
    rounds: Rounds<(u32, Vec<f64>)>,
}

impl Totals {
    pub(crate) fn new(worker: &mut Worker, workers_per_process: usize) -> Self {
        Self { rounds: Rounds::new(worker, workers_per_process) }
    }

    /// The element-wise sums of every worker's `values` (all workers pass the same length).
    pub(crate) fn sum(
        &mut self,
        worker: &mut Worker,
        values: &[f64],
        traffic: &mut Traffic,
    ) -> Vec<f64> {
        let me = worker.index() as u32;
        let everyone = (0..worker.peers()).map(|w| (w, (me, values.to_vec())));
        let mut all = self.rounds.round(worker, everyone, traffic);
        // Arrival order depends on timing; the sum must not.
        all.sort_by_key(|(from, _)| *from);
        let mut sums = vec![0.0; values.len()];
        for (_, part) in all {
            for (s, x) in sums.iter_mut().zip(part) {
                *s += x;
            }
        }
        sums
    }
}
