//! Edge-list parsing: formats, comments, headers, id remapping, gzip and error locations.

use std::io::Write;

use rapport_graph::io::{EdgeFileOptions, parse_edges, read_edge_file};
use rapport_graph::{GraphError, NodeIds};

/// Edges as original ids, and weights.
type Parsed = (Vec<[u64; 2]>, Option<Vec<f32>>);

fn check(text: &str, weight_column: Option<usize>) -> Result<Parsed, GraphError> {
    let list = parse_edges(text.as_bytes(), &EdgeFileOptions { weight_column })?;
    let ids: &NodeIds = list.ids();
    let edges = list.edges().iter().map(|&[a, b]| [ids.original(a), ids.original(b)]).collect();
    Ok((edges, list.weights().map(<[f32]>::to_vec)))
}

#[test]
fn snap_text_with_comments_and_crlf() {
    let (edges, weights) =
        check("# Directed graph\r\n# Nodes: 3\r\n0\t1\r\n1\t2\r\n", None).unwrap();
    assert_eq!(edges, vec![[0, 1], [1, 2]]);
    assert_eq!(weights, None);
}

#[test]
fn formats_with_extra_columns() {
    type Case = (&'static str, &'static str, Option<usize>, Vec<[u64; 2]>, Option<Vec<f32>>);
    let cases: &[Case] = &[
        ("weighted", "1 2 0.5\n2 3 2\n", Some(2), vec![[1, 2], [2, 3]], Some(vec![0.5, 2.0])),
        ("timestamped", "1 2 1341100972\n", None, vec![[1, 2]], None),
        ("csv rating time", "1,2,4,1289241911\n", Some(2), vec![[1, 2]], Some(vec![4.0])),
        ("higgs activity", "223789 213163 1341100972 MT\n", None, vec![[223789, 213163]], None),
        ("networkx dump", "0\t157\t{}\n", None, vec![[0, 157]], None),
        ("csv header", "id_1,id_2\n0,5\n", None, vec![[0, 5]], None),
        ("no final newline", "4 5\n6 7", None, vec![[4, 5], [6, 7]], None),
    ];
    for (name, text, column, edges, weights) in cases {
        let (got, got_w) = check(text, *column).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&got, edges, "{name}");
        assert_eq!(&got_w, weights, "{name}");
    }
}

#[test]
fn sparse_large_ids_are_remapped_in_order() {
    let list = parse_edges(b"9000000000000 5\n5 70\n", &EdgeFileOptions::default()).unwrap();
    assert_eq!(list.node_count(), 3);
    assert_eq!(list.edges(), &[[2, 0], [0, 1]]);
    assert_eq!(list.ids().dense(9_000_000_000_000), Some(2));
    assert_eq!(list.ids().dense(6), None);
}

#[test]
fn errors_name_the_line() {
    let cases = [
        ("1 2\n3 x\n", None, 2, "node id"),
        ("# c\n1\n", None, 2, "two node ids"),
        ("1 2 -1\n", Some(2), 1, "weight"),
        ("1 2 1\n\n1 2 nan\n", Some(2), 3, "weight"),
    ];
    for (text, weight_column, line, needle) in cases {
        let err = parse_edges(text.as_bytes(), &EdgeFileOptions { weight_column })
            .err()
            .unwrap_or_else(|| panic!("{text:?} should fail"))
            .to_string();
        assert!(err.starts_with(&format!("<memory>:{line}:")), "{err}");
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn gzip_files_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"# header\n10 20\n20 30\nbad line\n").unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let err = read_edge_file(&path, &EdgeFileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("g.txt.gz:4:"), "{err}");
    let missing =
        read_edge_file(&dir.path().join("none"), &EdgeFileOptions::default()).unwrap_err();
    assert!(matches!(missing, GraphError::Io { .. }));
}

#[test]
fn written_files_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let list = parse_edges(b"100 7\n7 3\n3 100\n", &EdgeFileOptions::default()).unwrap();
    for name in ["g.txt", "g.txt.gz"] {
        let path = dir.path().join(name);
        rapport_graph::io::write_edge_list(&path, list.edges(), list.ids()).unwrap();
        let back = read_edge_file(&path, &EdgeFileOptions::default()).unwrap();
        assert_eq!(back.edges(), list.edges(), "{name}");
        assert_eq!(back.ids(), list.ids(), "{name}");
    }
}

/// The graph's fast parser reads the same two node ids from every SNAP format as the one line
/// reader the importer and the model use (`rapport_model::snap`), so a file means the same
/// graph whichever command reads it.
#[test]
fn ids_agree_with_the_snap_line_reader() {
    use rapport_model::snap::{SnapFormat, parse_line};
    let cases = [
        (SnapFormat::Edges, "# FromNodeId\tToNodeId\n0\t1\n 1 2 \n% note\n\n3 0\r\n"),
        (SnapFormat::Weighted, "1 2 3\n2 3 1\n"),
        (SnapFormat::Temporal, "1 2 1082040961\n3 4 1082155839\n"),
        (SnapFormat::Signed, "6,2,4,1289241912\n6, 5 ,-2,1289241942\n7,8,0,1289241950\n"),
        (SnapFormat::Higgs, "223789 213163 1341100972 MT\n376989 50329 1341101181 RT\n"),
    ];
    for (format, text) in cases {
        let want: Vec<[u64; 2]> = text
            .lines()
            .filter_map(|line| parse_line(line, format).unwrap())
            .map(|l| [l.source.parse().unwrap(), l.target.parse().unwrap()])
            .collect();
        let (edges, _) = check(text, None).unwrap();
        assert_eq!(edges, want, "{format:?}");
    }
}

#[test]
fn parse_ids_part_keeps_the_files_ids_and_names_a_bad_line() {
    let ids = rapport_graph::io::parse_ids_part(b"source target\n# c\n10 3\n4294967296 7\n", true)
        .unwrap();
    assert_eq!(ids, vec![10, 3, 4_294_967_296, 7], "ids as written, in order, header skipped");
    // A later part may not open with a header: its first line is data.
    let error = rapport_graph::io::parse_ids_part(b"1 2\nsource target\n", false).unwrap_err();
    assert!(error.to_string().contains(":2:") || error.to_string().contains("line 2"), "{error}");
    let error = rapport_graph::io::parse_ids_part(b"source target\n", false).unwrap_err();
    assert!(error.to_string().contains("source"), "{error}");
}
