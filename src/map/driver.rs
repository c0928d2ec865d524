//! The row-parallel grid driver every map runs on: one momentum row per task, rows in parallel
//! with rayon under the feature `parallel` (in order otherwise), results kept in row order — the
//! same bits whatever the thread split — and the first failing row's error (in row order, so
//! the same error too). A map kind is its cell (or row) function; the dispatch is here.

use super::Progress;
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// Run `row(j, r)` for each row handle `r` (the j-th of `rows`), in parallel under the feature
/// `parallel`, telling `progress` of each finished row. Returns the first error in row order
/// (every row runs; an error is not a race).
///
/// The handles are whatever a row writes into: the rows of preallocated buffers (as
/// [`rows`] makes them, or several buffers zipped), or nothing but the index.
///
/// # Examples
///
/// ```
/// use momentum::map::each_row;
/// let mut a = vec![0u32; 6];
/// let mut b = vec![0u8; 6];
/// each_row(a.chunks_mut(3).zip(b.chunks_mut(3)), None, |j, (ra, rb)| {
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
pub fn each_row<R, E, F>(
    rows: impl IntoIterator<Item = R>,
    progress: Option<Progress>,
    row: F,
) -> Result<(), E>
where
    R: Send,
    E: Send,
    F: Fn(usize, R) -> Result<(), E> + Sync,
{
    let run = |(j, r): (usize, R)| {
        let result = row(j, r);
        if result.is_ok()
            && let Some(p) = progress
        {
            p(1);
        }
        result
    };
    let handles: Vec<R> = rows.into_iter().collect();
    #[cfg(feature = "parallel")]
    let results: Vec<Result<(), E>> = handles.into_par_iter().enumerate().map(run).collect();
    #[cfg(not(feature = "parallel"))]
    let results: Vec<Result<(), E>> = handles.into_iter().enumerate().map(run).collect();
    results.into_iter().collect()
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
    if n_cols > 0 {
        each_row(out.chunks_mut(n_cols), progress, row)?;
    }
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
