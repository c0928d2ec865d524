//! Spectrum files (`momentum::io`): `.npy` bytes written here by hand (a route independent of any
//! npy library), fixtures written by real NumPy (`tests/data/spectra/make_fixtures.py`), text and
//! JSON in every accepted shape, printed Python reprs rejected with their hint, malformed input
//! with the message it must give, and property tests that `parse` never panics and round-trips
//! exactly.

use momentum::io::{self, MAX_MATRIX_DIM, load, parse};
use momentum::{Error, Spectrum};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// helpers

/// An `.npy` file: magic, version, little-endian header length, the dict padded with spaces and a
/// newline to a multiple of 64 bytes (as NumPy does), then `data`.
fn npy(version: u8, descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
    let order = if fortran { "True" } else { "False" };
    let dict = format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}");
    npy_raw(version, &dict, data)
}

/// An `.npy` file with the header dict `dict` given verbatim.
fn npy_raw(version: u8, dict: &str, data: &[u8]) -> Vec<u8> {
    let mut text = dict.to_string();
    let len_bytes = if version == 1 { 2 } else { 4 };
    while !(8 + len_bytes + text.len() + 1).is_multiple_of(64) {
        text.push(' ');
    }
    text.push('\n');
    let mut out = b"\x93NUMPY".to_vec();
    out.extend([version, 0]);
    if version == 1 {
        out.extend((text.len() as u16).to_le_bytes());
    } else {
        out.extend((text.len() as u32).to_le_bytes());
    }
    out.extend(text.as_bytes());
    out.extend(data);
    out
}

fn f32_le(xs: &[f32]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn f32_be(xs: &[f32]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_be_bytes()).collect()
}
fn f64_le(xs: &[f64]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn f64_be(xs: &[f64]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_be_bytes()).collect()
}

fn eigenvalues(s: &Spectrum) -> Vec<f64> {
    match s {
        Spectrum::Eigenvalues(v) => v.clone(),
        other => panic!("expected eigenvalues, got {other:?}"),
    }
}

fn assert_close(found: &[f64], expected: &[f64], tol: f64) {
    assert_eq!(found.len(), expected.len(), "{found:?} vs {expected:?}");
    for (x, y) in found.iter().zip(expected) {
        assert!((x - y).abs() <= tol, "{found:?} vs {expected:?}");
    }
}

/// The message of a spectrum-file error, after checking its path and that it is one line.
fn message(result: momentum::Result<Spectrum>, name: &str) -> String {
    let err = result.expect_err("expected an error");
    let Error::SpectrumFile { path, problem } = &err else {
        panic!("expected Error::SpectrumFile, got {err:?}");
    };
    assert_eq!(path, name);
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "multi-line message: {shown:?}");
    assert_eq!(shown, format!("{path}: {problem}"));
    problem.clone()
}

fn assert_contains(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "{msg:?} should contain {p:?}");
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/spectra")
        .join(name)
}

const SQRT2: f64 = std::f64::consts::SQRT_2;
/// [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]: eigenvalues 2 - √2, 2, 2 + √2.
const TRIDIAG: [f64; 9] = [2.0, -1.0, 0.0, -1.0, 2.0, -1.0, 0.0, -1.0, 2.0];
const TRIDIAG_EIG: [f64; 3] = [2.0 - SQRT2, 2.0, 2.0 + SQRT2];

// ---------------------------------------------------------------------------------------------
// .npy

#[test]
fn npy_float32_c_order_matrix() {
    let bytes = npy(1, "<f4", false, "(2, 2)", &f32_le(&[2.0, 1.0, 1.0, 2.0]));
    let s = parse("h.npy", &bytes).unwrap();
    assert_close(&eigenvalues(&s), &[1.0, 3.0], 1e-12);
}

#[test]
fn npy_float32_fortran_order_matrix() {
    let data: Vec<f32> = TRIDIAG.iter().map(|&x| x as f32).collect();
    let bytes = npy(1, "<f4", true, "(3, 3)", &f32_le(&data));
    let s = parse("h.npy", &bytes).unwrap();
    assert_close(&eigenvalues(&s), &TRIDIAG_EIG, 1e-12);
}

/// A symmetric matrix is its own transpose, so reading Fortran order as C order cannot change
/// eigenvalues; where the order shows is in positions. Storage element 1 of a 3x3 array is
/// H[1][0] in Fortran order and H[0][1] in C order.
#[test]
fn npy_fortran_order_positions_are_transposed() {
    let mut data = TRIDIAG;
    data[1] = f64::NAN;
    let fortran = message(
        parse("h.npy", &npy(1, "<f8", true, "(3, 3)", &f64_le(&data))),
        "h.npy",
    );
    assert_contains(&fortran, &["element [1, 0]", "row 1, column 0", "NaN"]);
    let c = message(
        parse("h.npy", &npy(1, "<f8", false, "(3, 3)", &f64_le(&data))),
        "h.npy",
    );
    assert_contains(&c, &["element [0, 1]", "row 0, column 1", "NaN"]);
}

/// An asymmetric layout in Fortran order: stored column by column, [[1, 5], [2, 1]] reads as
/// H[0][1] = 5, H[1][0] = 2: rejected, with the asymmetry |5 - 2| = 3 in the message.
#[test]
fn npy_fortran_order_asymmetric_matrix_rejected() {
    let bytes = npy(1, "<f4", true, "(2, 2)", &f32_le(&[1.0, 2.0, 5.0, 1.0]));
    let msg = message(parse("h.npy", &bytes), "h.npy");
    assert_contains(
        &msg,
        &["2x2 matrix", "not symmetric", "H[0][1] - H[1][0]", "= 3e0"],
    );
}

#[test]
fn npy_non_square_2x3_rejected_in_both_orders() {
    for fortran in [false, true] {
        let bytes = npy(1, "<f4", fortran, "(2, 3)", &f32_le(&[1.0; 6]));
        let msg = message(parse("h.npy", &bytes), "h.npy");
        assert_contains(
            &msg,
            &[
                "2x3",
                "neither a list of eigenvalues",
                "nor a square matrix",
            ],
        );
    }
}

#[test]
fn npy_float64_vector_exact() {
    let values = [3.0, -0.5, 1e-300, 0.1, 312.5];
    let s = parse("e.npy", &npy(1, "<f8", false, "(5,)", &f64_le(&values))).unwrap();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    assert_eq!(eigenvalues(&s), sorted);
}

#[test]
fn npy_big_endian() {
    let values = [0.25, 7.0, 1.0 / 3.0];
    let s = parse("e.npy", &npy(1, ">f8", false, "(3,)", &f64_be(&values))).unwrap();
    assert_eq!(eigenvalues(&s), vec![0.25, 1.0 / 3.0, 7.0]);

    let bytes = npy(1, ">f4", false, "(2, 2)", &f32_be(&[2.0, 1.0, 1.0, 2.0]));
    assert_close(
        &eigenvalues(&parse("h.npy", &bytes).unwrap()),
        &[1.0, 3.0],
        1e-12,
    );
}

#[test]
fn npy_version_2_and_3_headers() {
    for version in [2, 3] {
        let bytes = npy(version, "<f8", false, "(2,)", &f64_le(&[1.5, 2.5]));
        assert_eq!(
            eigenvalues(&parse("e.npy", &bytes).unwrap()),
            vec![1.5, 2.5]
        );
    }
}

/// float32 eigenvalues (`torch.linalg.eigvalsh(H).numpy()`) widen exactly: 0.1f32 comes through
/// as the float32 value, not as the decimal 0.1.
#[test]
fn npy_float32_widened_exactly() {
    let values = [0.1f32, 1e-30, 3.4e38, -2.5e-7, 16777217.0];
    let s = parse("e.npy", &npy(1, "<f4", false, "(5,)", &f32_le(&values))).unwrap();
    let mut expected: Vec<f64> = values.iter().map(|&x| f64::from(x)).collect();
    expected.sort_by(f64::total_cmp);
    assert_eq!(eigenvalues(&s), expected);
    assert!(eigenvalues(&s).contains(&f64::from(0.1f32)));
    assert!(!eigenvalues(&s).contains(&0.1));
}

#[test]
fn npy_float16_and_integers() {
    // half precision: 1.0, 1/3 rounded (0x3555 = 0.333251953125), -2.0, 2^-24 (subnormal)
    let half: Vec<u8> = [0x3C00u16, 0x3555, 0xC000, 0x0001]
        .iter()
        .flat_map(|h| h.to_le_bytes())
        .collect();
    let s = parse("e.npy", &npy(1, "<f2", false, "(4,)", &half)).unwrap();
    assert_eq!(
        eigenvalues(&s),
        vec![-2.0, 2f64.powi(-24), 0.333251953125, 1.0]
    );

    let ints: Vec<u8> = [-3i32, 7, 0].iter().flat_map(|x| x.to_le_bytes()).collect();
    let s = parse("e.npy", &npy(1, "<i4", false, "(3,)", &ints)).unwrap();
    assert_eq!(eigenvalues(&s), vec![-3.0, 0.0, 7.0]);

    let s = parse("e.npy", &npy(1, "|u1", false, "(2,)", &[255, 4])).unwrap();
    assert_eq!(eigenvalues(&s), vec![4.0, 255.0]);

    let ints: Vec<u8> = [-9i64, 1 << 40]
        .iter()
        .flat_map(|x| x.to_be_bytes())
        .collect();
    let s = parse("e.npy", &npy(1, ">i8", false, "(2,)", &ints)).unwrap();
    assert_eq!(eigenvalues(&s), vec![-9.0, 2f64.powi(40)]);
}

#[test]
fn npy_row_column_and_scalar_are_lists() {
    let data = f64_le(&[5.0, 1.0, 3.0]);
    for shape in ["(1, 3)", "(3, 1)"] {
        for fortran in [false, true] {
            let s = parse("e.npy", &npy(1, "<f8", fortran, shape, &data)).unwrap();
            assert_eq!(eigenvalues(&s), vec![1.0, 3.0, 5.0], "{shape} {fortran}");
        }
    }
    let s = parse("e.npy", &npy(1, "<f8", false, "()", &f64_le(&[4.0]))).unwrap();
    assert_eq!(eigenvalues(&s), vec![4.0]);
    // a 1x1 matrix is one eigenvalue too
    let s = parse("e.npy", &npy(1, "<f8", false, "(1, 1)", &f64_le(&[4.0]))).unwrap();
    assert_eq!(eigenvalues(&s), vec![4.0]);
}

#[test]
fn npy_truncated_data() {
    let bytes = npy(1, "<f8", false, "(3,)", &f64_le(&[1.0, 2.0]));
    let msg = message(parse("e.npy", &bytes), "e.npy");
    assert_contains(&msg, &["truncated", "needs 24 bytes", "has 16"]);
}

#[test]
fn npy_truncated_header() {
    let full = npy(1, "<f8", false, "(3,)", &f64_le(&[1.0, 2.0, 3.0]));
    let msg = message(parse("e.npy", &full[..40]), "e.npy");
    assert_contains(
        &msg,
        &["header", "truncated", "says 118 bytes", "only 30 follow"],
    );
    let msg = message(parse("e.npy", &full[..7]), "e.npy");
    assert_contains(&msg, &["header", "truncated"]);
}

#[test]
fn npy_extra_bytes_after_data() {
    let mut bytes = npy(1, "<f8", false, "(2,)", &f64_le(&[1.0, 2.0]));
    bytes.extend(npy(1, "<f8", false, "(2,)", &f64_le(&[1.0, 2.0])));
    let msg = message(parse("e.npy", &bytes), "e.npy");
    assert_contains(
        &msg,
        &["bytes after the 16 bytes of data", "several arrays"],
    );
}

#[test]
fn npy_unsupported_dtypes() {
    let msg = message(
        parse("e.npy", &npy(1, "<c16", false, "(2,)", &[0; 32])),
        "e.npy",
    );
    assert_contains(&msg, &["dtype '<c16'", "complex", "not supported"]);
    for (descr, what) in [
        ("|b1", "boolean"),
        ("|O", "Python objects"),
        ("<U5", "strings"),
        ("<M8[s]", "dates"),
        ("<f16", "extended-precision"),
        ("<q4", "unknown"),
    ] {
        let msg = message(
            parse("e.npy", &npy(1, descr, false, "(1,)", &[0; 16])),
            "e.npy",
        );
        assert_contains(&msg, &[&format!("dtype '{descr}'"), what]);
    }
    // structured dtype: the descr is a list
    let dict = "{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }";
    let msg = message(parse("e.npy", &npy_raw(1, dict, &[0; 12])), "e.npy");
    assert_contains(&msg, &["structured"]);
}

#[test]
fn npy_bad_shapes() {
    let msg = message(
        parse("e.npy", &npy(1, "<f8", false, "(2, 2, 2)", &[0; 64])),
        "e.npy",
    );
    assert_contains(&msg, &["3-D array of shape (2, 2, 2)"]);
    let msg = message(parse("e.npy", &npy(1, "<f8", false, "(0,)", &[])), "e.npy");
    assert_contains(&msg, &["no eigenvalues", "(0,)", "empty"]);
    let msg = message(
        parse("e.npy", &npy(1, "<f8", false, "(0, 0)", &[])),
        "e.npy",
    );
    assert_contains(&msg, &["no eigenvalues"]);
    // products that overflow u64 are errors, not panics or wrapped counts
    let msg = message(
        parse(
            "e.npy",
            &npy(1, "<f8", false, "(4294967296, 4294967296, 4294967296)", &[]),
        ),
        "e.npy",
    );
    assert_contains(&msg, &["3-D"]);
    let msg = message(
        parse(
            "e.npy",
            &npy(1, "<f8", false, "(4294967296, 4294967296)", &[]),
        ),
        "e.npy",
    );
    assert_contains(&msg, &["larger than the 4096x4096 limit"]);
    let msg = message(
        parse(
            "e.npy",
            &npy(1, "<f8", false, "(18446744073709551615,)", &[]),
        ),
        "e.npy",
    );
    assert_contains(&msg, &["more than the 134217728 elements allowed"]);
}

#[test]
fn npy_matrix_dimension_limit_checked_before_data() {
    let n = MAX_MATRIX_DIM + 1;
    let bytes = npy(1, "<f8", false, &format!("({n}, {n})"), &[]);
    let msg = message(parse("h.npy", &bytes), "h.npy");
    assert_contains(&msg, &["4097x4097", "4096x4096 limit"]);
}

#[test]
fn npy_non_finite_elements_named() {
    let bytes = npy(
        1,
        "<f4",
        false,
        "(4,)",
        &f32_le(&[1.0, 2.0, f32::INFINITY, 3.0]),
    );
    let msg = message(parse("e.npy", &bytes), "e.npy");
    assert_contains(&msg, &["element 2 is inf"]);
    let bytes = npy(
        1,
        "<f8",
        false,
        "(2, 2)",
        &f64_le(&[1.0, 0.0, f64::NAN, 1.0]),
    );
    let msg = message(parse("h.npy", &bytes), "h.npy");
    assert_contains(&msg, &["element [1, 0]", "is NaN"]);
    let bytes = npy(1, "<f8", false, "()", &f64_le(&[f64::NEG_INFINITY]));
    assert_contains(
        &message(parse("e.npy", &bytes), "e.npy"),
        &["the value is -inf"],
    );
}

#[test]
fn npy_bad_headers() {
    let bytes = npy(1, "<f8", false, "(1,)", &f64_le(&[1.0]));
    let mut v4 = bytes.clone();
    v4[6] = 4;
    assert_contains(
        &message(parse("e.npy", &v4), "e.npy"),
        &["version 4.0 is not supported"],
    );
    let one = f64_le(&[1.0]);
    for (dict, expected) in [
        (
            "{'descr': '<f8', 'fortran_order': False, 'shapf': (1,), }",
            &["header", "no 'shape' entry"][..],
        ),
        (
            "{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }",
            &["'fortran_order' is not True or False"],
        ),
        (
            "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }",
            &["'shape'", "non-negative integers"],
        ),
        (
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,) ",
            &["header", "ends early"],
        ),
        (
            "{'descr': '<f8' 'fortran_order': False, 'shape': (1,) }",
            &["header", "expected ',' or '}'"],
        ),
        ("[1, 2]", &["header", "expected '{'"]),
    ] {
        let msg = message(parse("e.npy", &npy_raw(1, dict, &one)), "e.npy");
        assert_contains(&msg, expected);
    }
}

#[test]
fn npy_python2_long_shape() {
    let bytes = npy(1, "<f8", false, "(2L,)", &f64_le(&[1.0, 2.0]));
    assert_eq!(
        eigenvalues(&parse("e.npy", &bytes).unwrap()),
        vec![1.0, 2.0]
    );
}

// ---------------------------------------------------------------------------------------------
// files written by real NumPy

#[test]
fn numpy_fixtures() {
    let s = load(&fixture("eig_f32.npy")).unwrap();
    assert_eq!(eigenvalues(&s), vec![f64::from(0.1f32), 2.5, 312.5]);
    for name in ["tridiag_f64_fortran.npy", "tridiag_f32_big_endian.npy"] {
        let s = load(&fixture(name)).unwrap();
        assert_close(&eigenvalues(&s), &TRIDIAG_EIG, 1e-12);
    }
    assert_eq!(
        eigenvalues(&load(&fixture("eig_f16.npy")).unwrap()),
        vec![0.5, 1.0, 1024.0]
    );
    let path = fixture("nan_fortran.npy");
    let msg = message(load(&path), &path.display().to_string());
    assert_contains(&msg, &["element [2, 0]", "NaN"]);
    let path = fixture("complex.npy");
    let msg = message(load(&path), &path.display().to_string());
    assert_contains(&msg, &["'<c16'", "complex"]);
}

#[test]
fn text_fixtures() {
    let top3 = [9.87, 41.2, 312.5];
    assert_eq!(
        eigenvalues(&load(&fixture("pyhessian_top3.txt")).unwrap()),
        top3
    );
    assert_eq!(
        eigenvalues(&load(&fixture("pyhessian_top3.json")).unwrap()),
        top3
    );
    // print(np.array([[2.0, 1.0], [1.0, 2.0]])) is not a file format
    let path = fixture("numpy_print.txt");
    let msg = message(load(&path), &path.display().to_string());
    assert_printed(&msg, "'2.' (a float as NumPy prints it) at line 1 column 3");
    for name in ["tridiag.csv", "tridiag.txt"] {
        assert_close(
            &eigenvalues(&load(&fixture(name)).unwrap()),
            &TRIDIAG_EIG,
            1e-12,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// text

fn text(s: &str) -> Vec<f64> {
    eigenvalues(&parse("s.txt", s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e}")))
}

#[test]
fn text_one_per_line_with_comments_and_blank_lines() {
    let s = "# top eigenvalues\n\n312.5\n  41.2  # second\n\n9.87\r\n1e-3\n-0.5\n.5\n2.\n";
    assert_eq!(text(s), vec![-0.5, 1e-3, 0.5, 2.0, 9.87, 41.2, 312.5]);
}

#[test]
fn text_all_on_one_line() {
    assert_eq!(text("3, 1, 2\n"), vec![1.0, 2.0, 3.0]);
    assert_eq!(text("3 1 2"), vec![1.0, 2.0, 3.0]);
    assert_eq!(text("7"), vec![7.0]);
}

#[test]
fn text_matrices() {
    let csv = "2,-1,0\n-1,2,-1\n0,-1,2\n";
    let ws = "2 -1 0\n-1\t2 -1\n 0 -1 2 \n";
    let mixed = "2, -1, 0,\n-1 ,2 , -1\n0 -1, 2\n";
    for s in [csv, ws, mixed] {
        assert_close(&text(s), &TRIDIAG_EIG, 1e-12);
    }
    assert_close(&text("[[2, 1], [1, 2]]"), &[1.0, 3.0], 1e-12);
}

#[test]
fn text_header_line() {
    assert_eq!(text("eigenvalue\n3\n1\n"), vec![1.0, 3.0]);
    assert_eq!(text("# comment first\n\"lambda\"\n3\n"), vec![3.0]);
    assert_close(&text("h0,h1\n2,1\n1,2\n"), &[1.0, 3.0], 1e-12);
    // not the first non-comment line: an error
    let msg = message(parse("s.txt", b"3\neigenvalue\n1\n"), "s.txt");
    assert_eq!(msg, "line 2: 'eigenvalue' is not a number");
    // a partly numeric first line is not a header
    let msg = message(parse("s.txt", b"h0,1\n2,1\n1,2\n"), "s.txt");
    assert_eq!(msg, "line 1: 'h0' is not a number");
    // a header must name every column
    let msg = message(parse("s.txt", b"a,b,c\n2,1\n1,2\n"), "s.txt");
    assert_contains(&msg, &["line 1", "3 column names", "2 entries"]);
    let msg = message(parse("s.txt", b"eigenvalue\n"), "s.txt");
    assert_contains(&msg, &["no eigenvalues", "header"]);
}

#[test]
fn json_pyhessian_lists() {
    let top = vec![9.87, 41.2, 312.5];
    assert_eq!(text("[312.5, 41.2, 9.87]\n"), top);
    assert_eq!(text("[312.5,\n 41.2,\n 9.87\n]\n"), top);
    assert_eq!(text("# PyHessian top-3\n[[312.5, 41.2, 9.87]]"), top);
    assert_eq!(text("[[312.5], [41.2], [9.87]]"), top);
    assert_eq!(text(r#"{"eigenvalues": [312.5, 41.2, 9.87]}"#), top);
    assert_eq!(
        text(
            r#"{"top_n": 3, "top_eigenvalues": [312.5, 41.2, 9.87], "note": {"a": [1, "x"], "b": null}}"#
        ),
        top
    );
    assert_eq!(
        text(
            "{\n  \"trace\": 1.5e3,\n  \"eigenvalues\": [\n    312.5,\n    41.2,\n    9.87\n  ]\n}\n"
        ),
        top
    );
    assert_eq!(text("[1e-3, -0.5]"), vec![-0.5, 1e-3]);
    // one number under the key is a 0-D array; integers beyond i64 are read as the nearest f64
    assert_eq!(text(r#"{"eigenvalues": 3.5}"#), vec![3.5]);
    assert_eq!(
        text("[18446744073709551616, -9223372036854775808, 7]"),
        vec![-(2f64.powi(63)), 7.0, 2f64.powi(64)]
    );
    // a byte-order mark, CRLF line ends and blank lines before the JSON
    assert_eq!(text("\u{feff}\r\n\r\n[312.5,\r\n41.2, 9.87]\r\n"), top);
}

/// The hint for Python's printed output: what was seen and where, and how to save the array.
fn assert_printed(msg: &str, seen: &str) {
    assert!(
        msg.starts_with(
            "looks like a printed NumPy/PyTorch array or Python object, not a file format ("
        ),
        "{msg}"
    );
    assert_contains(
        msg,
        &[
            seen,
            "save it with np.save(path, eigenvalues) or json.dump(eigenvalues.tolist(), f)",
        ],
    );
}

/// Printed NumPy arrays, PyTorch tensors and Python reprs are no longer read: each is one line
/// naming the file, what gave it away and where, and how to save the array instead.
#[test]
fn printed_reprs_are_rejected_with_the_hint() {
    for (s, seen) in [
        // print(np.array([312.5, 41.2, 9.87]))
        (
            "[312.5 41.2 9.87]",
            "numbers separated by spaces, not commas at line 1 column 8",
        ),
        (
            "[[2. 1.]\n [1. 2.]]",
            "'2.' (a float as NumPy prints it) at line 1 column 3",
        ),
        (
            "[[2 1]\n [1 2]]",
            "numbers separated by spaces, not commas at line 1 column 5",
        ),
        // print(np.array([[2], [1]])): an int column vector
        (
            "[[2]\n [1]]",
            "lists separated by spaces, not commas at line 2 column 2",
        ),
        (
            "[2.]",
            "'2.' (a float as NumPy prints it) at line 1 column 2",
        ),
        (
            "[1.e-03, 2.5]",
            "'1.e-03' (a float as NumPy prints it) at line 1 column 2",
        ),
        (
            "[1. 2. 3. ... 998. 999.]",
            "'1.' (a float as NumPy prints it) at line 1 column 2",
        ),
        (
            "[1, 2, ..., 9]",
            "'...' (an abbreviated array) at line 1 column 8",
        ),
        // repr(np.array(...)), repr(torch.tensor(...)), NumPy 2 scalars in a list
        (
            "array([312.5 , 41.2, 9.87], dtype=float32)",
            "'array(' at line 1 column 1",
        ),
        (
            "# eigenvalues\n  np.array([1.5])",
            "'np.array(' at line 2 column 3",
        ),
        (
            "tensor([312.5000, 41.2000, 9.8700], device='cuda:0')",
            "'tensor(' at line 1 column 1",
        ),
        (
            "[np.float64(312.5), np.float64(41.2), np.float32(9.87)]",
            "'np.float64(' at line 1 column 2",
        ),
        ("(1.5, 2.5)", "'(' at line 1 column 1"),
        // print(a_dict): single quotes, None
        (
            "{'top_n': 3, 'top_eigenvalues': [312.5, 41.2, 9.87], 'note': None}",
            "a single-quoted string at line 1 column 2",
        ),
        ("[1.5, None]", "Python's None at line 1 column 7"),
        // the first sign is the one named
        (
            "[1.5, 2.] # it's",
            "'2.' (a float as NumPy prints it) at line 1 column 7",
        ),
    ] {
        let msg = text_err(s);
        assert_printed(&msg, seen);
    }
    // nested calls do not recurse
    assert_printed(&text_err(&"f(".repeat(100_000)), "'f(' at line 1 column 1");
    // the whole error is one line naming the file
    let err = parse("eig.txt", b"[[2. 1.]\n [1. 2.]]")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("eig.txt: looks like a printed NumPy/PyTorch array") && !err.contains('\n'),
        "{err}"
    );
}

#[test]
fn text_exact_decimal_round_trip() {
    // 0.1 + 0.2 and friends: Python repr / Rust Display are shortest round-trip decimals
    let values = [
        0.1 + 0.2,
        1.0 / 3.0,
        5e-324,
        1.7976931348623157e308,
        -2.5e-10,
    ];
    let line = values.map(|x| x.to_string()).join("\n");
    let json = format!("[{}]", values.map(|x| format!("{x:e}")).join(", "));
    let mut expected = values.to_vec();
    expected.sort_by(f64::total_cmp);
    assert_eq!(text(&line), expected);
    assert_eq!(text(&json), expected);
}

// ---------------------------------------------------------------------------------------------
// malformed text

fn text_err(s: &str) -> String {
    message(parse("s.txt", s.as_bytes()), "s.txt")
}

#[test]
fn empty_and_comment_only_files() {
    for s in ["", "\n\n  \n", "# nothing\n# here\n"] {
        assert_contains(&text_err(s), &["no eigenvalues", "only comments"]);
    }
    assert_contains(&text_err("[]"), &["no eigenvalues", "empty"]);
    assert_contains(&text_err("[[], []]"), &["no eigenvalues"]);
    assert_contains(&text_err(r#"{"eigenvalues": []}"#), &["no eigenvalues"]);
}

#[test]
fn bad_tokens_are_named_with_their_line() {
    assert_eq!(text_err("1.5\n2.5\nabc\n"), "line 3: 'abc' is not a number");
    assert_eq!(text_err("1,2\n3,4x\n"), "line 2: '4x' is not a number");
    assert_eq!(
        text_err("[1.0,\n 2.0,\n bogus]"),
        "line 3 column 2: not valid JSON: expected value"
    );
    assert_eq!(text_err("1\nnan\n"), "line 2: 'nan' is not a finite number");
    assert_eq!(
        text_err("1\n-inf\n"),
        "line 2: '-inf' is not a finite number"
    );
    assert_eq!(
        text_err("1e400\n"),
        "line 1: '1e400' is not a finite number"
    );
    // Python's json.dump writes NaN and Infinity; numbers beyond f64 overflow
    assert_eq!(
        text_err("{\"eigenvalues\": [1.0,\n NaN]}"),
        "line 2 column 2: 'NaN' is not a finite number"
    );
    assert_eq!(
        text_err("# top\n[1.0, -Infinity]"),
        "line 2 column 7: '-Infinity' is not a finite number"
    );
    assert_eq!(
        text_err("[1.0,\n 1e400]"),
        "line 2 column 2: '1e400' is not a finite number"
    );
    assert_eq!(
        text_err("[1.5, nan]"),
        "line 1 column 7: 'nan' is not a finite number"
    );
    assert_eq!(
        text_err("[\"1.5\"]"),
        "line 1 column 6: the string '1.5' is not a number"
    );
    assert_contains(&text_err("1,,2\n"), &["line 1", "field 2 is empty"]);
    assert_eq!(
        text_err("[1,,2]"),
        "line 1 column 4: not valid JSON: expected value"
    );
    assert_eq!(
        text_err("[true]"),
        "line 1 column 5: invalid type: boolean `true`, expected a number or a list of numbers"
    );
    // a long garbage token is shortened in the message
    let long = "x".repeat(500);
    let msg = text_err(&long);
    assert!(msg.len() < 120, "{msg}");
}

#[test]
fn ragged_and_non_square_matrices() {
    assert_eq!(
        text_err("1,2,3\n4,5,6\n7,8\n"),
        "line 3 has 2 entries but line 1 (the first row) has 3: the rows of a matrix must all be as long"
    );
    assert_contains(
        &text_err("# H\n\n1 2\n3 4 5\n"),
        &["line 4 has 3 entries but line 3 (the first row) has 2"],
    );
    assert_eq!(
        text_err("[[1, 2],\n [3]]"),
        "line 2 column 4: row 2 has 1 entries but row 1 has 2: the rows of a matrix must all be as long"
    );
    assert_contains(
        &text_err("1,2,3\n4,5,6\n"),
        &["2 rows of 3 entries", "square matrix"],
    );
    assert_contains(
        &text_err("[[1, 2, 3], [4, 5, 6]]"),
        &["2x3", "square matrix"],
    );
    assert_contains(&text_err("[[[1]]]"), &["nested 3 deep"]);
    assert_contains(&text_err("[1, [2]]"), &["mixes numbers and lists"]);
    assert_contains(&text_err("[[1], 2]"), &["mixes numbers and lists"]);
}

#[test]
fn non_symmetric_matrix() {
    let msg = text_err("1, 2\n3, 1\n");
    assert_contains(&msg, &["2x2 matrix", "not symmetric", "H[0][1] - H[1][0]"]);
}

#[test]
fn malformed_json() {
    assert_eq!(
        text_err("[1, 2,\n3"),
        "line 2 column 1: not valid JSON: EOF while parsing a list"
    );
    assert_eq!(
        text_err("[1, 2] 3"),
        "line 1 column 8: not valid JSON: trailing characters"
    );
    // a trailing comma is not JSON (Python's print and json.dump never write one)
    assert_eq!(
        text_err("[312.5,\n 41.2,\n 9.87,\n]\n"),
        "line 4 column 1: not valid JSON: trailing comma"
    );
    // line numbers count the comment lines before the JSON
    assert_eq!(
        text_err("# top eigenvalues\n\n# from PyHessian\n[1.0,\n bogus]"),
        "line 5 column 2: not valid JSON: expected value"
    );
    assert_contains(
        &text_err(r#"{"eigs": [1, 2], "n": 2}"#),
        &[
            "no \"eigenvalues\" or \"top_eigenvalues\" key",
            "'eigs', 'n'",
        ],
    );
    assert_contains(
        &text_err(r#"{"eigenvalues": [1], "top_eigenvalues": [2]}"#),
        &["both 'eigenvalues' and 'top_eigenvalues'"],
    );
    assert_contains(
        &text_err(r#"{"eigenvalues": {"a": 1}}"#),
        &["invalid type: map"],
    );
    assert_contains(
        &text_err("{\"eigenvalues\": [1, 2]"),
        &["not valid JSON: EOF while parsing an object"],
    );
    assert_contains(
        &text_err("{\"eigenvalues\": [1, 2], \"x\": \"oops}"),
        &["not valid JSON: EOF while parsing a string"],
    );
    assert_contains(&text_err(&"[".repeat(100_000)), &["nested 3 deep"]);
    // other keys' values are skipped without recursion, however deep
    let deep = format!("{{\"x\": {}", "[".repeat(100_000));
    assert_contains(&text_err(&deep), &["EOF while parsing a list"]);
    let deep = format!(
        "{{\"x\": {}{}, \"eigenvalues\": [2, 1]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(text(&deep), vec![1.0, 2.0]);
}

#[test]
fn binary_garbage_that_is_not_npy() {
    let msg = message(parse("x.bin", &[0x31, 0x0a, 0x32, 0xff, 0xfe]), "x.bin");
    assert_contains(
        &msg,
        &["neither a NumPy .npy file nor UTF-8 text", "byte 3"],
    );
    let msg = message(parse("x.npz", b"PK\x03\x04\x14\x00"), "x.npz");
    assert_contains(&msg, &["zip archive", "np.save"]);
}

/// Entries near f64::MAX must not overflow while the matrix is symmetrised (H + Hᵀ would be
/// infinite): representable eigenvalues come out right, overflowing ones are an error saying so.
#[test]
fn huge_matrix_entries() {
    let big = 1.7e308;
    let s = parse("h.txt", format!("{big}, 1e300\n1e300, -{big}\n").as_bytes()).unwrap();
    assert_close(&eigenvalues(&s), &[-big, big], 1e-15 * big);
    let s = parse("h.txt", format!("{big}, 0\n0, {big}\n").as_bytes()).unwrap();
    assert_eq!(eigenvalues(&s), vec![big, big]);
    for h in [
        "1e308, 1e308\n1e308, 1e308\n",
        "1e308, -1e308\n-1e308, 1e308\n",
    ] {
        assert_contains(
            &text_err(h),
            &["2x2 matrix", "eigenvalues overflow f64", "1e308"],
        );
    }
    // the asymmetry is reported at the matrix's own scale
    for (h, scale) in [
        ("1e308, 1e308\n0, 1e308\n", 1e308),
        ("1e300, 1e300\n0, 1e300\n", 1e300),
    ] {
        let msg = text_err(h);
        assert_contains(&msg, &["not symmetric", &format!("= {scale:e} exceeds ")]);
        let tolerance: f64 = msg
            .split("exceeds ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|t| t.parse().ok())
            .unwrap();
        let expected = momentum::spectrum::SYMMETRY_TOLERANCE * scale;
        assert!((tolerance - expected).abs() <= 1e-12 * expected, "{msg}");
    }
}

// ---------------------------------------------------------------------------------------------
// files

#[test]
fn missing_file_names_the_path() {
    let path = Path::new("/nonexistent/dir/hessian.npy");
    let msg = message(load(path), "/nonexistent/dir/hessian.npy");
    assert_contains(&msg, &["cannot read the file", "No such file"]);
    assert!(
        load(path)
            .unwrap_err()
            .to_string()
            .starts_with("/nonexistent/dir/hessian.npy: ")
    );
}

#[test]
fn directory_is_not_a_file() {
    let dir = fixture("");
    let msg = message(load(&dir), &dir.display().to_string());
    assert_contains(&msg, &["is a directory"]);
}

#[test]
fn load_reads_a_written_file() {
    let path = std::env::temp_dir().join(format!("momentum-spectrum-{}.csv", std::process::id()));
    std::fs::write(&path, "2,1\n1,2\n").unwrap();
    let s = load(&path);
    std::fs::remove_file(&path).unwrap();
    assert_close(&eigenvalues(&s.unwrap()), &[1.0, 3.0], 1e-12);
}

#[test]
fn limits_are_documented_values() {
    assert_eq!(io::MAX_FILE_BYTES, 1 << 30);
    assert_eq!(io::MAX_ELEMENTS, 1 << 27);
    assert_eq!(MAX_MATRIX_DIM, 4096);
    let n = MAX_MATRIX_DIM + 1;
    let row = vec!["0"; n].join(",");
    // a too-large square text matrix: only its shape is checked before the limit error
    let big = format!("{row}\n").repeat(n);
    let msg = text_err(&big);
    assert_contains(&msg, &["4097x4097", "4096x4096 limit"]);
}

// ---------------------------------------------------------------------------------------------
// properties

/// The contract of `parse` on any input: finite eigenvalues, or a one-line SpectrumFile error.
fn check_contract(bytes: &[u8]) -> Result<(), TestCaseError> {
    match parse("fuzz", bytes) {
        Ok(s) => {
            let v = eigenvalues(&s);
            prop_assert!(!v.is_empty());
            prop_assert!(v.iter().all(|x| x.is_finite()), "{v:?}");
        }
        Err(e) => {
            prop_assert!(
                matches!(e, Error::SpectrumFile { .. }),
                "wrong variant {e:?}"
            );
            let shown = e.to_string();
            prop_assert!(!shown.contains('\n') && !shown.contains('\r'), "{shown:?}");
        }
    }
    Ok(())
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|x| format!("{x}")),
        any::<f64>().prop_map(|x| format!("{x:e}")),
        (-1e3..1e3f64).prop_map(|x| format!("{x}")),
        (-1000i32..1000).prop_map(|x| x.to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("1e999".to_string()),
        "[a-z_.]{1,6}",
        prop::sample::select(vec![
            "[",
            "]",
            "{",
            "}",
            "(",
            ")",
            ",",
            ":",
            "=",
            "#",
            "'",
            "\"",
            "...",
            "eigenvalues",
            "\"eigenvalues\"",
            "'top_eigenvalues'",
            "array(",
            "np.float64(",
            "True",
            "None",
            "\u{feff}",
            "é",
            "\t",
        ])
        .prop_map(str::to_string),
    ]
}

fn separator() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        " ", ",", ", ", "\n", "\r\n", "\t", ",,", " , ", "\n\n", "# c\n", ";",
    ])
    .prop_map(str::to_string)
}

fn near_valid_text() -> impl Strategy<Value = String> {
    let body = prop::collection::vec((token(), separator()), 0..40)
        .prop_map(|v| v.into_iter().map(|(t, s)| t + &s).collect::<String>());
    (
        prop::sample::select(vec![
            "",
            "[",
            "[[",
            "{\"eigenvalues\": [",
            "# h\n",
            "h0,h1\n",
        ]),
        body,
        prop::sample::select(vec!["", "]", "]]", "]}", "\n"]),
    )
        .prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

/// A header dict with random (often broken) parts, followed by random data.
fn near_valid_npy() -> impl Strategy<Value = Vec<u8>> {
    (
        1u8..=4,
        prop::sample::select(vec![
            "<f4", ">f4", "<f8", ">f8", "<f2", "<i2", "|u1", "<c8", "|O", "", "<f", "f8", "=f8",
            "|f4",
        ]),
        any::<bool>(),
        prop::sample::select(vec![
            "()",
            "(0,)",
            "(3,)",
            "(2, 2)",
            "(2, 3)",
            "(1, 4)",
            "(4, 1)",
            "(2, 2, 1)",
            "(99999999999, 99999999999)",
            "(3",
            "((2,),)",
            "[2, 2]",
        ]),
        prop::collection::vec(any::<u8>(), 0..80),
        0usize..200,
    )
        .prop_map(|(version, descr, fortran, shape, data, cut)| {
            let mut bytes = npy(version.min(3), descr, fortran, shape, &data);
            if version == 4 {
                bytes[6] = 4;
            }
            if cut < bytes.len() && cut % 3 == 0 {
                bytes.truncate(cut);
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check_contract(&bytes)?;
        let mut with_magic = b"\x93NUMPY".to_vec();
        with_magic.extend(&bytes);
        check_contract(&with_magic)?;
    }

    #[test]
    fn near_valid_text_never_panics(s in near_valid_text()) {
        check_contract(s.as_bytes())?;
    }

    #[test]
    fn near_valid_npy_never_panics(bytes in near_valid_npy()) {
        check_contract(&bytes)?;
    }
}

fn finite_f64() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("finite", |x| x.is_finite())
}

fn finite_f32() -> impl Strategy<Value = f32> {
    any::<f32>().prop_filter("finite", |x| x.is_finite())
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn float64_round_trips_exactly(
        values in prop::collection::vec(finite_f64(), 1..50),
        big_endian in any::<bool>(),
        version in 1u8..=3,
        column in any::<bool>(),
    ) {
        let expected = sorted(values.clone());
        let (descr, data) = if big_endian {
            (">f8", f64_be(&values))
        } else {
            ("<f8", f64_le(&values))
        };
        let shape = if column {
            format!("({}, 1)", values.len())
        } else {
            format!("({},)", values.len())
        };
        let s = parse("e.npy", &npy(version, descr, false, &shape, &data)).unwrap();
        prop_assert_eq!(eigenvalues(&s), expected.clone());

        let plain: Vec<String> = values.iter().map(|x| format!("{x}")).collect();
        let sci: Vec<String> = values.iter().map(|x| format!("{x:e}")).collect();
        prop_assert_eq!(text(&plain.join("\n")), expected.clone());
        prop_assert_eq!(text(&sci.join(", ")), expected.clone());
        prop_assert_eq!(text(&format!("[{}]", sci.join(",\n"))), expected.clone());
        prop_assert_eq!(
            text(&format!("{{\"eigenvalues\": [{}]}}", plain.join(", "))),
            expected
        );
    }

    #[test]
    fn float32_round_trips_exactly(
        values in prop::collection::vec(finite_f32(), 1..50),
        big_endian in any::<bool>(),
        fortran in any::<bool>(),
    ) {
        let expected = sorted(values.iter().map(|&x| f64::from(x)).collect());
        let (descr, data) = if big_endian {
            (">f4", f32_be(&values))
        } else {
            ("<f4", f32_le(&values))
        };
        let shape = format!("(1, {})", values.len());
        let s = parse("e.npy", &npy(1, descr, fortran, &shape, &data)).unwrap();
        prop_assert_eq!(eigenvalues(&s), expected.clone());
        // the widened values, printed as f64, read back exactly
        let plain: Vec<String> = expected.iter().map(|x| format!("{x}")).collect();
        prop_assert_eq!(text(&plain.join(" ")), expected);
    }

    /// Symmetric matrices in C and Fortran order, float32 and float64: the eigenvalues of
    /// Q diag(d) Qᵀ are d (Q a Householder reflection, so Q is exactly orthogonal up to rounding).
    #[test]
    fn symmetric_matrices_give_their_eigenvalues(
        n in 2usize..7,
        d in prop::collection::vec(-10.0..10.0f64, 7),
        u in prop::collection::vec(-1.0..1.0f64, 7),
        fortran in any::<bool>(),
    ) {
        let d = &d[..n];
        let u = &u[..n];
        let norm2: f64 = u.iter().map(|x| x * x).sum();
        prop_assume!(norm2 > 0.1);
        let q = |i: usize, j: usize| f64::from(u8::from(i == j)) - 2.0 * u[i] * u[j] / norm2;
        let h = |i: usize, j: usize| (0..n).map(|k| q(i, k) * d[k] * q(j, k)).sum::<f64>();
        let mut data = Vec::new();
        for a in 0..n {
            for b in 0..n {
                let (i, j) = if fortran { (b, a) } else { (a, b) };
                data.push(h(i, j));
            }
        }
        let expected = sorted(d.to_vec());
        let shape = format!("({n}, {n})");
        let s = parse("h.npy", &npy(1, "<f8", fortran, &shape, &f64_le(&data))).unwrap();
        let found = eigenvalues(&s);
        for (x, y) in found.iter().zip(&expected) {
            prop_assert!((x - y).abs() < 1e-12 * 100.0, "{found:?} vs {expected:?}");
        }
        let rows: Vec<String> = (0..n)
            .map(|i| (0..n).map(|j| format!("{:e}", h(i, j))).collect::<Vec<_>>().join(", "))
            .collect();
        let found = text(&rows.join("\n"));
        for (x, y) in found.iter().zip(&expected) {
            prop_assert!((x - y).abs() < 1e-12 * 100.0, "{found:?} vs {expected:?}");
        }
    }
}

/// A file named .npy without the NumPy magic is named as such, before what the text reader
/// found; the same bytes under another name get the text reader's message alone; a text file
/// named .npy that holds numbers is still read (the format is decided by content).
#[test]
fn a_npy_name_without_the_magic_says_so() {
    let junk = b"PK\x03\x04 zipped weights, not an array\n";
    let msg = message(parse("junk.npy", junk), "junk.npy");
    assert_contains(
        &msg,
        &["not a NumPy .npy file", "\\x93NUMPY", "read as text"],
    );
    let plain = message(parse("junk.txt", junk), "junk.txt");
    assert!(!plain.contains("NumPy .npy"), "{plain}");
    let s = parse("eig.NPY", b"1.0\n4.0\n").unwrap();
    assert_eq!(eigenvalues(&s), vec![1.0, 4.0]);
}
