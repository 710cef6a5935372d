//! A short list kept on the stack up to `N` items, on the heap beyond: the
//! sorted parameters and headers of a typical request never allocate.

use crate::encoding::Part;
use alloc::vec::Vec;

/// A short list kept on the stack up to `N` items, on the heap beyond.
pub(crate) enum SmallList<T: Copy + Default, const N: usize> {
    Inline { items: [T; N], len: usize },
    Heap(Vec<T>),
}

impl<T: Copy + Default, const N: usize> SmallList<T, N> {
    pub(crate) fn new() -> Self {
        SmallList::Inline {
            items: [T::default(); N],
            len: 0,
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        match self {
            SmallList::Inline { items, len } if *len < N => {
                items[*len] = item;
                *len += 1;
            }
            SmallList::Inline { items, len } => {
                let mut v = Vec::with_capacity(2 * N);
                v.extend_from_slice(&items[..*len]);
                v.push(item);
                *self = SmallList::Heap(v);
            }
            SmallList::Heap(v) => v.push(item),
        }
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        match self {
            SmallList::Inline { items, len } => &items[..*len],
            SmallList::Heap(v) => v,
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            SmallList::Inline { items, len } => &mut items[..*len],
            SmallList::Heap(v) => v,
        }
    }
}

impl Default for Part<'_> {
    fn default() -> Self {
        Part::Decoded(b"")
    }
}
