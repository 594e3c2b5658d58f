//! YAML documents read into `serde_json` values, so YAML and JSON inputs share one reader. Built
//! from the events of `saphyr_parser` (YAML 1.2), which hand over each node's tag and leave
//! aliases unexpanded:
//! - scalars follow the YAML 1.2 core schema: `null`, `~` and an empty plain scalar are null,
//!   `true`/`false` booleans, decimal integers and floats numbers with their own digits; anything
//!   quoted, and anything else, is a string;
//! - a tagged node is handed to the caller's `tagged` function (CloudFormation turns `!Ref x` into
//!   `{"Ref": "x"}`); the core schema's own `!!str` and friends keep their meaning;
//! - an alias is the anchored node again, but the nodes that aliases add are counted against a
//!   budget, so a "billion laughs" document is refused instead of filling the memory; nesting is
//!   bounded too.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Value};

/// How deep collections may nest.
pub const MAX_DEPTH: usize = 128;

/// Why a YAML text could not be read. Line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    #[error("not valid YAML: {message} at line {line} column {column}")]
    Syntax { message: String, line: usize, column: usize },
    #[error("line {line}: {message}")]
    At { message: String, line: usize },
}

/// Turns a tagged node into the value it stands for: `tag` is `!Ref` for `!Ref x`.
pub type Tagged<'a> = &'a dyn Fn(&str, Value) -> Result<Value, String>;

/// Every document of `text`, in order. `node_budget` bounds the nodes aliases may add in all.
pub fn documents(text: &str, tagged: Tagged<'_>, node_budget: usize) -> Result<Vec<Value>, YamlError> {
    let mut builder = Builder { tagged, anchors: HashMap::new(), budget: node_budget, stack: Vec::new() };
    let mut documents = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| YamlError::Syntax {
            message: e.info().to_owned(),
            line: e.marker().line(),
            column: e.marker().col() + 1,
        })?;
        let line = span.start.line();
        let at = |message: String| YamlError::At { message, line };
        if let Some(done) = builder.event(event).map_err(at)? {
            documents.push(done);
        }
    }
    Ok(documents)
}

/// A collection being built, with its anchor and tag.
enum Open {
    Sequence { items: Vec<Value>, anchor: usize, tag: Option<String>, nodes: usize },
    Mapping { map: Map<String, Value>, key: Option<String>, anchor: usize, tag: Option<String>, nodes: usize },
}

struct Builder<'a> {
    tagged: Tagged<'a>,
    /// Each anchored node, with how many nodes it holds.
    anchors: HashMap<usize, (Value, usize)>,
    budget: usize,
    stack: Vec<Open>,
}

impl Builder<'_> {
    /// Takes one event; a finished document is returned.
    fn event(&mut self, event: Event<'_>) -> Result<Option<Value>, String> {
        let (value, nodes) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = self.finish(scalar(&text, style, tag.as_deref())?, tag.as_deref())?;
                self.anchor(anchor, &value, 1);
                (value, 1)
            }
            Event::Alias(id) => {
                let (value, nodes) = self.anchors.get(&id).ok_or("an alias to an unknown anchor")?;
                self.budget = self.budget.checked_sub(*nodes).ok_or_else(|| {
                    "the aliases expand to too many nodes (a \"billion laughs\" document?)".to_owned()
                })?;
                (value.clone(), *nodes)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)
                if self.stack.len() >= MAX_DEPTH =>
            {
                let _ = (anchor, tag);
                return Err(format!("collections nest more than {MAX_DEPTH} deep"));
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t));
                self.stack.push(Open::Sequence { items: Vec::new(), anchor, tag, nodes: 1 });
                return Ok(None);
            }
            Event::MappingStart(anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t));
                self.stack.push(Open::Mapping { map: Map::new(), key: None, anchor, tag, nodes: 1 });
                return Ok(None);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, tag, nodes) = match self.stack.pop() {
                    Some(Open::Sequence { items, anchor, tag, nodes }) => {
                        (Value::Array(items), anchor, tag, nodes)
                    }
                    Some(Open::Mapping { map, anchor, tag, nodes, .. }) => {
                        (Value::Object(map), anchor, tag, nodes)
                    }
                    None => return Err("a collection ends that never started".into()),
                };
                let value = match tag {
                    Some(tag) if !tag.starts_with("tag:yaml.org,2002:") => (self.tagged)(&tag, value)?,
                    _ => value,
                };
                self.anchor(anchor, &value, nodes);
                (value, nodes)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => {
                return Ok(None);
            }
        };
        self.add(value, nodes)
    }

    /// A scalar with a tag the caller knows is the caller's; core-schema tags were applied.
    fn finish(&self, value: Value, tag: Option<&Tag>) -> Result<Value, String> {
        match tag {
            Some(tag) if !tag.is_yaml_core_schema() => (self.tagged)(&tag_name(tag), value),
            _ => Ok(value),
        }
    }

    fn anchor(&mut self, anchor: usize, value: &Value, nodes: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
    }

    /// Puts a finished node into the collection being built, or returns it as a document.
    fn add(&mut self, value: Value, nodes: usize) -> Result<Option<Value>, String> {
        match self.stack.last_mut() {
            None => Ok(Some(value)),
            Some(Open::Sequence { items, nodes: total, .. }) => {
                *total = total.saturating_add(nodes);
                items.push(value);
                Ok(None)
            }
            Some(Open::Mapping { map, key, nodes: total, .. }) => {
                *total = total.saturating_add(nodes);
                match key.take() {
                    None => match value {
                        Value::String(k) => *key = Some(k),
                        Value::Number(n) => *key = Some(n.to_string()),
                        Value::Bool(b) => *key = Some(b.to_string()),
                        Value::Null => *key = Some(String::new()),
                        _ => return Err("a mapping key must be a scalar".into()),
                    },
                    Some(k) => {
                        if map.contains_key(&k) {
                            return Err(format!("the key `{k}` is given twice"));
                        }
                        map.insert(k, value);
                    }
                }
                Ok(None)
            }
        }
    }
}

/// `!Ref` for the local tag `Ref`; a core-schema tag as its full name.
fn tag_name(tag: &Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

/// A scalar's value by the core schema (a quoted one is always a string).
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        return match tag.suffix.as_str() {
            "int" | "float" => number(text).ok_or_else(|| format!("`{text}` is not a number")),
            "bool" => boolean(text).ok_or_else(|| format!("`{text}` is not a boolean")),
            "null" => Ok(Value::Null),
            // `!!str`, and the rest of the schema's tags, which no input here uses.
            _ => Ok(Value::String(text.to_owned())),
        };
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_owned()));
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Value::Null);
    }
    Ok(boolean(text).or_else(|| number(text)).unwrap_or_else(|| Value::String(text.to_owned())))
}

fn boolean(text: &str) -> Option<Value> {
    match text {
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// A decimal number as JSON would write it, with its digits (no hex, octal, `.inf` or `.nan`,
/// which stay strings).
fn number(text: &str) -> Option<Value> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.as_bytes()[0].is_ascii_digit();
    if !plain {
        return None;
    }
    serde_json::from_str::<serde_json::Number>(text.strip_prefix('+').unwrap_or(text)).ok().map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::fmt::Write;

    // The signature of a `Tagged` function.
    #[allow(clippy::unnecessary_wraps, clippy::needless_pass_by_value)]
    fn plain(_: &str, value: Value) -> Result<Value, String> {
        Ok(value)
    }

    #[allow(clippy::unnecessary_wraps, clippy::needless_pass_by_value)]
    fn cfn(tag: &str, value: Value) -> Result<Value, String> {
        let name = tag.trim_start_matches('!');
        Ok(json!({ if name == "Ref" { "Ref".to_owned() } else { format!("Fn::{name}") }: value }))
    }

    fn one(text: &str) -> Value {
        documents(text, &cfn, 1000).unwrap().remove(0)
    }

    #[test]
    fn reads_the_core_schema() {
        let v = one("a: 1\nb: 0.25\nc: '256'\nd: true\ne: ~\nf: hello\ng: [1, x]\nh: 0x1F\ni: -3\n");
        assert_eq!(
            v,
            json!({"a": 1, "b": 0.25, "c": "256", "d": true, "e": null, "f": "hello", "g": [1, "x"],
                   "h": "0x1F", "i": -3})
        );
        // A number keeps its digits (serde_json writes an exponent with its sign).
        assert_eq!(one("j: 1e3")["j"].to_string(), "1e+3");
        assert_eq!(one("x: 0.004445")["x"].to_string(), "0.004445");
    }

    #[test]
    fn hands_tagged_nodes_to_the_caller() {
        let v = one(
            "Cpu: !Ref TaskCpu\nName: !Sub '${AWS::StackName}-web'\nArn: !GetAtt [Role, Arn]\nS: !!str 12\n",
        );
        assert_eq!(
            v,
            json!({"Cpu": {"Ref": "TaskCpu"}, "Name": {"Fn::Sub": "${AWS::StackName}-web"},
                   "Arn": {"Fn::GetAtt": ["Role", "Arn"]}, "S": "12"})
        );
    }

    #[test]
    fn aliases_repeat_the_anchored_node_within_a_budget() {
        assert_eq!(one("a: &x {k: 1}\nb: *x\n"), json!({"a": {"k": 1}, "b": {"k": 1}}));
        // Nine levels of ten aliases each would be 10^9 nodes.
        let mut laughs = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, next) in
            ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            writeln!(laughs, "{next}: &{next} [{}]", vec![format!("*{prev}"); 10].join(",")).unwrap();
        }
        let err = documents(&laughs, &plain, 100_000).unwrap_err().to_string();
        assert!(err.contains("aliases expand to too many nodes"), "{err}");
    }

    #[test]
    fn refuses_what_it_cannot_hold() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        assert!(documents(&deep, &plain, 10).unwrap_err().to_string().contains("nest more than 128"));
        assert!(
            documents("a: 1\na: 2\n", &plain, 10).unwrap_err().to_string().contains("`a` is given twice")
        );
        assert!(documents("? [1]\n: 2\n", &plain, 10).unwrap_err().to_string().contains("must be a scalar"));
        let err = documents("a: [1\n", &plain, 10).unwrap_err().to_string();
        assert!(err.starts_with("not valid YAML:"), "{err}");
        assert!(documents("*nope\n", &plain, 10).is_err());
    }

    #[test]
    fn several_documents() {
        assert_eq!(
            documents("a: 1\n---\nb: 2\n", &plain, 10).unwrap(),
            vec![json!({"a": 1}), json!({"b": 2})]
        );
    }
}
