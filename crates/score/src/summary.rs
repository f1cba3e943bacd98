//! One scan over a pair's events up to a moment: counts, decayed sums, first and last contact, state.

use rapport_model::time::DAY;
use rapport_model::{Direction, InteractionKind, Timestamp};

use crate::event::Tier;
use crate::index::PairEvent;

/// RealGraph's daily decay of interaction counts (Kamath et al., 2014).
pub const DAILY_DECAY: f64 = 0.955;

/// The number of interaction kinds, the width of the count tables.
pub(crate) const KINDS: usize = InteractionKind::ALL.len();

/// Counts of events by direction and kind, seen from one side of the pair.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KindCounts {
    /// `out[kind.code()]`: from this side to the other.
    pub out: [u32; KINDS],
    /// `incoming[kind.code()]`: from the other side to this one.
    pub incoming: [u32; KINDS],
}

impl KindCounts {
    /// How many events of `kind` went in `direction`.
    pub fn get(&self, kind: InteractionKind, direction: Direction) -> u32 {
        let i = usize::from(kind.code());
        match direction {
            Direction::Out => self.out[i],
            Direction::In => self.incoming[i],
        }
    }

    /// Interactions (not state changes) in `direction`.
    pub fn interactions(&self, direction: Direction) -> u32 {
        InteractionKind::ALL
            .into_iter()
            .filter(|k| Tier::of(*k).is_some())
            .map(|k| self.get(k, direction))
            .sum()
    }
}

/// The last dated interaction: when, what and who made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LastInteraction {
    /// When it happened.
    pub at: Timestamp,
    /// What it was.
    pub kind: InteractionKind,
    /// `Out` when "me" made it, `In` when they did.
    pub direction: Direction,
}

/// Everything the model and the stages need about one pair at one moment, from one side.
#[derive(Clone, Debug, Default)]
pub(crate) struct PairSummary {
    pub(crate) counts: KindCounts,
    /// Decayed interaction sums by tier (amplification, conversation, private), both directions.
    pub(crate) decayed_tier: [f64; 3],
    /// Decayed interaction sums by direction (out, in).
    pub(crate) decayed_dir: [f64; 2],
    /// The first and last dated interactions.
    pub(crate) first: Option<Timestamp>,
    pub(crate) last: Option<LastInteraction>,
    /// Whether each side (out, in) has written to the other: a reply, quote, mention or DM.
    pub(crate) conversed: [bool; 2],
    /// Whether each side has sent the other a DM.
    pub(crate) messaged: [bool; 2],
    /// The first and last dated conversational events, either direction.
    pub(crate) conversation_span: Option<(Timestamp, Timestamp)>,
    /// The current follow state of each side, and whether the two are connected both ways.
    pub(crate) follows: [bool; 2],
    pub(crate) connected: bool,
    /// True once either side blocked the other.
    pub(crate) blocked: bool,
    /// DMs this side sent before the other side had ever interacted with it.
    pub(crate) cold_dms: u32,
    /// Whether each side (out, in) has liked or reposted the other, dated or not.
    pub(crate) amplified: [bool; 2],
    /// Each side's (out, in) own actions alone: what an export of that side's account shows.
    pub(crate) sides: [SideSummary; 2],
}

/// One side's own interactions towards the other, as a one-sided export (an X or Mastodon
/// archive) holds them: nothing the other side did is in it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SideSummary {
    /// Decayed interaction sums by tier (amplification, conversation, private).
    pub(crate) decayed_tier: [f64; 3],
    /// Interactions, dated or not.
    pub(crate) interactions: u32,
    /// The first and last dated interactions.
    pub(crate) first: Option<Timestamp>,
    pub(crate) last: Option<Timestamp>,
    /// Conversational events (replies, quotes, mentions, DMs), dated or not.
    pub(crate) conversations: u32,
    /// The first and last dated conversational events.
    pub(crate) conversation_span: Option<(Timestamp, Timestamp)>,
}

impl PairSummary {
    /// Summarises `events` (one pair's, in time order) up to `as_of`, seen from the pair's lower id
    /// when `from_low` is true and from the higher one otherwise.
    pub(crate) fn scan(events: &[PairEvent], as_of: Timestamp, from_low: bool) -> PairSummary {
        let mut s = PairSummary::default();
        for e in events.iter().take_while(|e| e.at <= as_of) {
            s.add(e, as_of, from_low);
        }
        s
    }

    /// Adds one event (not later than `as_of`, and not earlier than any added before).
    pub(crate) fn add(&mut self, e: &PairEvent, as_of: Timestamp, from_low: bool) {
        let dir = usize::from(e.forward != from_low);
        let code = usize::from(e.kind.code());
        if dir == 0 {
            self.counts.out[code] += 1;
        } else {
            self.counts.incoming[code] += 1;
        }
        match e.kind {
            InteractionKind::Follow => self.follows[dir] = true,
            InteractionKind::Unfollow => self.follows[dir] = false,
            InteractionKind::Connect => self.connected = true,
            InteractionKind::Block => self.blocked = true,
            _ => {}
        }
        let Some(tier) = Tier::of(e.kind) else { return };
        let side = &mut self.sides[dir];
        side.interactions += 1;
        if tier >= Tier::Conversation {
            self.conversed[dir] = true;
            side.conversations += 1;
        }
        if tier == Tier::Amplification {
            self.amplified[dir] = true;
        }
        if tier == Tier::Private {
            if dir == 0 && self.counts.interactions(Direction::In) == 0 {
                self.cold_dms += 1;
            }
            self.messaged[dir] = true;
        }
        let Some(at) = e.dated() else { return };
        let weight = decay(as_of, at);
        self.decayed_tier[tier as usize] += weight;
        self.decayed_dir[dir] += weight;
        self.first.get_or_insert(at);
        let direction = if dir == 0 { Direction::Out } else { Direction::In };
        self.last = Some(LastInteraction { at, kind: e.kind, direction });
        let side = &mut self.sides[dir];
        side.decayed_tier[tier as usize] += weight;
        side.first.get_or_insert(at);
        side.last = Some(at);
        if tier >= Tier::Conversation {
            let start = self.conversation_span.map_or(at, |(start, _)| start);
            self.conversation_span = Some((start, at));
            let start = side.conversation_span.map_or(at, |(start, _)| start);
            side.conversation_span = Some((start, at));
        }
    }

    /// Interactions (not state changes) in both directions, dated or not.
    pub(crate) fn interaction_count(&self) -> u32 {
        self.counts.interactions(Direction::Out) + self.counts.interactions(Direction::In)
    }
}

/// The weight of an interaction at `at` seen from `as_of`: RealGraph's daily decay, in fractional days.
pub(crate) fn decay(as_of: Timestamp, at: Timestamp) -> f64 {
    DAILY_DECAY.powf(days_between(at, as_of))
}

/// Days from `from` to `to`, as a fraction.
pub(crate) fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    (to - from) as f64 / DAY as f64
}
