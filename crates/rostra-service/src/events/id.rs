//! Event ids: `{epoch}-{seq}`, the position of an event in one bus's order.

use std::fmt;

/// Where an event stands in its bus's order: the bus's `epoch` (random per
/// process start) and a sequence number that only grows. Written as
/// `{epoch:016x}-{seq}`, the form a browser sends back as `Last-Event-ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventId {
    epoch: u64,
    seq: u64,
}

impl EventId {
    pub(crate) fn new(epoch: u64, seq: u64) -> Self {
        Self { epoch, seq }
    }

    /// The bus this id comes from.
    pub fn epoch(self) -> u64 {
        self.epoch
    }

    /// The event's place in its bus's order (0: before the first event).
    pub fn seq(self) -> u64 {
        self.seq
    }

    /// Reads an id as [`Display`](fmt::Display) writes it; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        let (epoch, seq) = raw.split_once('-')?;
        let hex = epoch.len() == 16 && epoch.bytes().all(|b| b.is_ascii_hexdigit());
        let digits = (1..=20).contains(&seq.len()) && seq.bytes().all(|b| b.is_ascii_digit());
        if !hex || !digits {
            return None;
        }
        Some(Self {
            epoch: u64::from_str_radix(epoch, 16).ok()?,
            seq: seq.parse().ok()?,
        })
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}-{}", self.epoch, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::EventId;

    #[test]
    fn ids_round_trip() {
        for (epoch, seq) in [(0, 0), (0xdead_beef, 42), (u64::MAX, u64::MAX)] {
            let id = EventId::new(epoch, seq);
            assert_eq!(EventId::parse(&id.to_string()), Some(id), "{id}");
        }
        assert_eq!(EventId::new(255, 7).to_string(), "00000000000000ff-7");
    }

    #[test]
    fn anything_else_is_not_an_id() {
        for bad in [
            "",
            "-",
            "7",
            "00000000000000ff",
            "00000000000000ff-",
            "00000000000000ff-x",
            "00000000000000ff-+7",
            "ff-7",
            "+0000000000000ff-7",
            "00000000000000fg-7",
            "00000000000000ff-7-1",
            "00000000000000ff-99999999999999999999",
        ] {
            assert_eq!(EventId::parse(bad), None, "{bad:?}");
        }
    }
}
