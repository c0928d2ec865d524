//! The row-parallel grid driver every map runs on: one momentum row per task, rows in parallel
//! with rayon under the feature `parallel` (in order otherwise), results kept in row order — the
//! same bits whatever the thread split — and the first failing row's error (in row order, so
//! the same error too). A map kind is its cell (or row) function; the dispatch is here.

use super::Progress;
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use std::sync::{Mutex, PoisonError};

/// Row-major buffers a map writes into, split into rows of `n_cols` cells without copying: one
/// buffer (`&mut [T]`) or two of the same shape (`(&mut [A], &mut [B])`, as a stored map's radii
/// and flags).
pub trait RowBuffers: Send {
    /// One row of every buffer.
    type Row: Send;
    /// `f(j, row j)` for every row, in parallel under the feature `parallel`.
    fn for_each_row(self, n_cols: usize, f: impl Fn(usize, Self::Row) + Sync);
}

impl<'a, T: Send> RowBuffers for &'a mut [T] {
    type Row = &'a mut [T];
    fn for_each_row(self, n_cols: usize, f: impl Fn(usize, Self::Row) + Sync) {
        #[cfg(feature = "parallel")]
        self.par_chunks_mut(n_cols)
            .enumerate()
            .for_each(|(j, r)| f(j, r));
        #[cfg(not(feature = "parallel"))]
        self.chunks_mut(n_cols)
            .enumerate()
            .for_each(|(j, r)| f(j, r));
    }
}

impl<'a, A: Send, B: Send> RowBuffers for (&'a mut [A], &'a mut [B]) {
    type Row = (&'a mut [A], &'a mut [B]);
    fn for_each_row(self, n_cols: usize, f: impl Fn(usize, Self::Row) + Sync) {
        let (a, b) = self;
        #[cfg(feature = "parallel")]
        a.par_chunks_mut(n_cols)
            .zip(b.par_chunks_mut(n_cols))
            .enumerate()
            .for_each(|(j, r)| f(j, r));
        #[cfg(not(feature = "parallel"))]
        a.chunks_mut(n_cols)
            .zip(b.chunks_mut(n_cols))
            .enumerate()
            .for_each(|(j, r)| f(j, r));
    }
}

/// Run `row(j, r)` on every row `r` of `buffers` (rows of `n_cols` cells), in parallel under the
/// feature `parallel`, telling `progress` of each finished row. Returns the first error in row
/// order (every row runs, so the error reported does not depend on the thread split).
///
/// # Examples
///
/// ```
/// use momentum::map::each_row;
/// let mut a = vec![0u32; 6];
/// let mut b = vec![0u8; 6];
/// each_row((&mut a[..], &mut b[..]), 3, None, |j, (ra, rb)| {
///     for i in 0..3 {
///         ra[i] = (10 * j + i) as u32;
///         rb[i] = j as u8;
///     }
///     Ok::<(), std::convert::Infallible>(())
/// })
/// .unwrap();
/// assert_eq!(a, [0, 1, 2, 10, 11, 12]);
/// assert_eq!(b, [0, 0, 0, 1, 1, 1]);
/// ```
///
/// # Errors
///
/// The first (in row order) error a row returned.
pub fn each_row<B, E, F>(
    buffers: B,
    n_cols: usize,
    progress: Option<Progress>,
    row: F,
) -> Result<(), E>
where
    B: RowBuffers,
    E: Send,
    F: Fn(usize, B::Row) -> Result<(), E> + Sync,
{
    if n_cols == 0 {
        return Ok(());
    }
    // the failing row with the smallest index
    let first: Mutex<Option<(usize, E)>> = Mutex::new(None);
    buffers.for_each_row(n_cols, |j, r| match row(j, r) {
        Ok(()) => {
            if let Some(p) = progress {
                p(1);
            }
        }
        Err(e) => {
            let mut first = first.lock().unwrap_or_else(PoisonError::into_inner);
            if first.as_ref().is_none_or(|(k, _)| j < *k) {
                *first = Some((j, e));
            }
        }
    });
    match first.into_inner().unwrap_or_else(PoisonError::into_inner) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// An `n_rows × n_cols` row-major grid of `T`, row j filled by `row(j, &mut out)` (a slice of
/// `n_cols` values, `T::default()` before the call): [`each_row`] over a fresh buffer.
///
/// # Examples
///
/// ```
/// use momentum::map::rows;
/// let g = rows(2, 3, None, |j, out: &mut [f64]| {
///     for (i, x) in out.iter_mut().enumerate() {
///         *x = (j * 3 + i) as f64;
///     }
///     Ok::<(), momentum::Error>(())
/// })?;
/// assert_eq!(g, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// The first (in row order) error a row returned.
pub fn rows<T, E, F>(
    n_rows: usize,
    n_cols: usize,
    progress: Option<Progress>,
    row: F,
) -> Result<Vec<T>, E>
where
    T: Send + Clone + Default,
    E: Send,
    F: Fn(usize, &mut [T]) -> Result<(), E> + Sync,
{
    let mut out = vec![T::default(); n_rows * n_cols];
    each_row(&mut out[..], n_cols, progress, row)?;
    Ok(out)
}

/// An `n_rows × n_cols` row-major grid of `cell(i, j)` (column i, row j): [`rows`] with one
/// call per cell, the shape of a map whose cells are independent (a new map kind is such a
/// function of its grid).
///
/// # Examples
///
/// ```
/// use momentum::map::cells;
/// let g = cells(2, 2, None, |i, j| Ok::<_, momentum::Error>((i, j)))?;
/// assert_eq!(g, [(0, 0), (1, 0), (0, 1), (1, 1)]);
/// # Ok::<(), momentum::Error>(())
/// ```
///
/// # Errors
///
/// The first (in row order, then column order) error a cell returned.
pub fn cells<T, E, F>(
    n_rows: usize,
    n_cols: usize,
    progress: Option<Progress>,
    cell: F,
) -> Result<Vec<T>, E>
where
    T: Send + Clone + Default,
    E: Send,
    F: Fn(usize, usize) -> Result<T, E> + Sync,
{
    rows(n_rows, n_cols, progress, |j, out: &mut [T]| {
        for (i, x) in out.iter_mut().enumerate() {
            *x = cell(i, j)?;
        }
        Ok(())
    })
}
