//! A report written piece by piece: a head, each file's piece as it is ready (in order, with
//! what stands between two pieces), and an end. JSON, SARIF and the one-line formats are each
//! a layout of it, so that a streamed report is assembled one way whatever its format.

/// What stands around and between the pieces of a report.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Before the first piece.
    pub first: &'static [u8],
    /// Between two pieces.
    pub between: &'static [u8],
    /// After the last piece, when there was one.
    pub after: &'static [u8],
    /// In place of the pieces when there was none.
    pub none: &'static [u8],
}

impl Layout {
    /// Pieces one after another, with nothing around them (lines of text).
    pub const RUN_ON: Layout = Layout { first: b"", between: b"", after: b"", none: b"" };
}

/// A report being written: what is held and not yet passed on, and what is still to come.
#[derive(Debug)]
pub struct Framed {
    out: Vec<u8>,
    layout: Layout,
    /// What follows the pieces, after [`Layout::after`] or [`Layout::none`].
    tail: Vec<u8>,
    /// Whether a piece has been written.
    any: bool,
}

impl Framed {
    /// A report that opens with `head` and closes with `tail`, its pieces laid out so.
    pub fn new(head: Vec<u8>, layout: Layout, tail: Vec<u8>) -> Self {
        Framed { out: head, layout, tail, any: false }
    }

    /// Appends one file's piece; an empty piece (a file with nothing to say) adds nothing.
    pub fn push(&mut self, piece: &[u8]) {
        if piece.is_empty() {
            return;
        }
        self.out.extend_from_slice(if self.any { self.layout.between } else { self.layout.first });
        self.out.extend_from_slice(piece);
        self.any = true;
    }

    /// What has been written and not yet passed on: to be written out and cleared (the
    /// report keeps its place, and the buffer its room).
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }

    /// Closes the pieces and the report; returns what was not drained.
    pub fn end(mut self) -> Vec<u8> {
        self.out.extend_from_slice(if self.any { self.layout.after } else { self.layout.none });
        self.out.extend_from_slice(&self.tail);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::{Framed, Layout};

    const LIST: Layout = Layout { first: b"\n  ", between: b",\n  ", after: b"\n]", none: b"]" };

    fn framed(pieces: &[&str], layout: Layout) -> String {
        let mut report = Framed::new(b"[".to_vec(), layout, b"\n".to_vec());
        pieces.iter().for_each(|piece| report.push(piece.as_bytes()));
        String::from_utf8(report.end()).unwrap_or_default()
    }

    #[test]
    fn pieces_stand_between_the_head_and_the_tail_separated_as_laid_out() {
        assert_eq!(framed(&["1", "", "2"], LIST), "[\n  1,\n  2\n]\n");
        assert_eq!(framed(&[], LIST), "[]\n");
        assert_eq!(framed(&["", ""], LIST), "[]\n", "empty pieces are no pieces");
        assert_eq!(framed(&["a\n", "b\n"], Layout::RUN_ON), "[a\nb\n\n");
    }

    #[test]
    fn what_is_drained_is_not_written_again() {
        let mut report = Framed::new(b"[".to_vec(), LIST, b"\n".to_vec());
        report.push(b"1");
        let drained = std::mem::take(report.buffer());
        report.push(b"2");
        let rest = report.end();
        assert_eq!(String::from_utf8([drained, rest].concat()).unwrap_or_default(), "[\n  1,\n  2\n]\n");
    }
}
