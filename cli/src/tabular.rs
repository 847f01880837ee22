//! `--format table`: JSON as aligned columns, for reading on a terminal.
//!
//! A list of objects is one row per item, with a column per member (in the order they first
//! appear); an object holding one such list (`{"messages": [...], "page": 1}`) is that list;
//! any other object is one row per member; a list of scalars is one column. Scalars are
//! printed as text, `null` as nothing, and nested values as compact JSON, cut at
//! [`WIDEST`] characters.

use serde_json::{Map, Value};

/// The widest a cell is printed, in characters; longer ones end with `…`.
pub const WIDEST: usize = 60;

/// The table of `values`, one row each (what `--jq` yields, or the items of `--all`); a lone
/// list is its items. Ends with a newline; empty when there is nothing to show.
pub fn rows(values: &[Value]) -> String {
    match values {
        [Value::Array(items)] => list(items),
        values => list(values),
    }
}

/// The table of one document, ending with a newline.
pub fn render(value: &Value) -> String {
    match value {
        Value::Array(items) => list(items),
        Value::Object(object) => match the_list(object) {
            Some(items) => list(items),
            None => members(object),
        },
        scalar => format!("{}\n", cell(scalar)),
    }
}

/// The one member of `object` that is a non-empty list of objects, if it has exactly one.
fn the_list(object: &Map<String, Value>) -> Option<&Vec<Value>> {
    let mut lists = object.values().filter_map(|value| match value {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
            Some(items)
        }
        _ => None,
    });
    let first = lists.next()?;
    lists.next().is_none().then_some(first)
}

/// One row per item: the members of objects as columns, or one column of scalars.
fn list(items: &[Value]) -> String {
    if items.is_empty() {
        return String::new();
    }
    if !items.iter().all(Value::is_object) {
        let rows: Vec<Vec<String>> = items.iter().map(|item| vec![cell(item)]).collect();
        return columns(&["VALUE".to_owned()], &rows);
    }
    let mut names: Vec<&str> = Vec::new();
    for item in items {
        if let Value::Object(object) = item {
            for key in object.keys() {
                if !names.contains(&key.as_str()) {
                    names.push(key);
                }
            }
        }
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            names
                .iter()
                .map(|name| item.get(*name).map(cell).unwrap_or_default())
                .collect()
        })
        .collect();
    let header: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    columns(&header, &rows)
}

/// One row per member: its name and its value.
fn members(object: &Map<String, Value>) -> String {
    let rows: Vec<Vec<String>> = object
        .iter()
        .map(|(key, value)| vec![key.clone(), cell(value)])
        .collect();
    columns(&["MEMBER".to_owned(), "VALUE".to_owned()], &rows)
}

/// A value as the text of one cell.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    // One line per row: line breaks and tabs are shown, not obeyed.
    let text = text
        .replace('\n', "\\n")
        .replace('\t', " ")
        .replace('\r', "");
    if text.chars().count() > WIDEST {
        let mut cut: String = text.chars().take(WIDEST - 1).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

/// Aligned columns, two spaces apart, the header first.
fn columns(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|name| name.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        let mut line = String::new();
        for (index, (cell, width)) in row.iter().zip(&widths).enumerate() {
            if index > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_page_is_a_row_per_item() {
        let page = json!({
            "messages": [
                {"id": "m1", "status": "READ", "text": "Oi"},
                {"id": "m22", "status": "SENT", "text": null, "media": {"url": "x"}}
            ],
            "page": 1,
            "totalPages": 3
        });
        assert_eq!(
            render(&page),
            "id   status  text  media\n\
             m1   READ    Oi\n\
             m22  SENT          {\"url\":\"x\"}\n"
        );
    }

    #[test]
    fn an_object_is_a_row_per_member_and_long_cells_are_cut() {
        let long = "x".repeat(100);
        let table = render(&json!({"id": "num_1", "note": long, "ok": true}));
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "MEMBER  VALUE");
        assert_eq!(lines[1], "id      num_1");
        assert!(lines[2].ends_with('…') && lines[2].chars().count() == 8 + WIDEST);
        assert_eq!(lines[3], "ok      true");
    }

    #[test]
    fn many_documents_are_rows_and_scalars_a_column() {
        assert_eq!(
            rows(&[json!({"id": 1}), json!({"id": 2, "name": "b"})]),
            "id  name\n1\n2   b\n"
        );
        assert_eq!(rows(&[json!({"id": 1})]), "id\n1\n");
        assert_eq!(rows(&[json!([{"id": 1}])]), "id\n1\n");
        assert_eq!(rows(&[json!("a"), json!(2)]), "VALUE\na\n2\n");
        assert_eq!(rows(&[]), "");
    }
}
