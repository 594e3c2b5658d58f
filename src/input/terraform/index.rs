//! The lookups reading a plan makes, built once, so that reading is linear in the plan's resources
//! (apart from sorting the few instances a link finds) instead of scanning every instance or
//! configuration block for each service and, for each, every cluster's capacity providers (a plan
//! of 10,000 services took 522 s that way, `benches/scale.sh`).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::Instance;

/// A resource block: module path (no instance keys), type and name.
type BlockKey<'a> = (String, &'a str, &'a str);

/// Which of a block's instances a link takes: all, or those that share the linking instance's
/// module instance, its `count`/`for_each` index, or both.
#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    All,
    Module,
    Index,
    Both,
}

/// The planned instances of one resource block, as positions in the plan's instance list, in plan
/// order; with several, also by where they are (a block of one is looked at directly, so the
/// maps cost nothing in the common case).
pub(super) struct Block {
    all: Vec<usize>,
    places: Option<Box<Places>>,
}

/// A block's instances by module instance, by index, and by both.
struct Places {
    module: HashMap<String, Vec<usize>>,
    index: HashMap<Option<String>, Vec<usize>>,
    both: HashMap<(String, Option<String>), Vec<usize>>,
}

/// An instance's `count`/`for_each` index as a key: its JSON text. Equal values print alike
/// (`serde_json` keeps an object's keys sorted, and compares numbers by their text).
fn index_key(index: Option<&Value>) -> Option<String> {
    index.map(Value::to_string)
}

impl Place {
    /// Whether `instance` is at this place relative to `from`.
    fn holds(self, instance: &Instance<'_>, from: &Instance<'_>) -> bool {
        let (module, index) = (instance.module == from.module, instance.index == from.index);
        match self {
            Place::All => true,
            Place::Module => module,
            Place::Index => index,
            Place::Both => module && index,
        }
    }
}

impl Block {
    /// Its instances at `place` relative to `from`.
    pub fn at(&self, place: Place, from: &Instance<'_>, instances: &[Instance<'_>]) -> &[usize] {
        let found = match (&self.places, place) {
            (None, place) => {
                self.all.first().filter(|&&at| place.holds(&instances[at], from)).map(|_| &self.all)
            }
            (Some(_), Place::All) => Some(&self.all),
            (Some(p), Place::Module) => p.module.get(&from.module),
            (Some(p), Place::Index) => p.index.get(&index_key(from.index)),
            (Some(p), Place::Both) => p.both.get(&(from.module.clone(), index_key(from.index))),
        };
        found.map_or(&[], Vec::as_slice)
    }
}

pub(super) struct Index<'a> {
    blocks: HashMap<BlockKey<'a>, Block>,
    /// The expressions of each configuration block.
    configs: HashMap<BlockKey<'a>, &'a Map<String, Value>>,
    /// `aws_ecs_task_definition` instances by their `family`.
    families: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn new(instances: &[Instance<'a>], modules: &BTreeMap<String, &'a Map<String, Value>>) -> Self {
        let mut blocks: HashMap<BlockKey<'a>, Vec<usize>> = HashMap::new();
        let mut families: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (at, instance) in instances.iter().enumerate() {
            let key = (instance.module_path.clone(), instance.resource_type, instance.name);
            blocks.entry(key).or_default().push(at);
            if instance.resource_type == "aws_ecs_task_definition"
                && let Some(family) = instance.string("family")
            {
                families.entry(family).or_default().push(at);
            }
        }
        let blocks = blocks
            .into_iter()
            .map(|(key, all)| {
                let places = (all.len() > 1).then(|| {
                    let mut places =
                        Places { module: HashMap::new(), index: HashMap::new(), both: HashMap::new() };
                    for &at in &all {
                        let (module, index) = (&instances[at].module, index_key(instances[at].index));
                        places.module.entry(module.clone()).or_default().push(at);
                        places.index.entry(index.clone()).or_default().push(at);
                        places.both.entry((module.clone(), index)).or_default().push(at);
                    }
                    Box::new(places)
                });
                (key, Block { all, places })
            })
            .collect();
        let mut configs = HashMap::new();
        for (path, module) in modules {
            let resources = module.get("resources").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
            for resource in resources {
                let text = |key: &str| resource.get(key).and_then(Value::as_str);
                let (Some(resource_type), Some(name)) = (text("type"), text("name")) else { continue };
                if text("mode").is_some_and(|m| m != "managed") {
                    continue;
                }
                // The first block of that type and name with expressions, as a search would find.
                if let Some(expressions) = resource.get("expressions").and_then(Value::as_object) {
                    configs.entry((path.clone(), resource_type, name)).or_insert(expressions);
                }
            }
        }
        Index { blocks, configs, families }
    }

    /// The planned instances of the block `resource_type.name` in module `module_path`.
    pub fn block<'s>(
        &'s self,
        module_path: &str,
        resource_type: &'s str,
        name: &'s str,
    ) -> Option<&'s Block> {
        self.blocks.get(&(module_path.to_owned(), resource_type, name))
    }

    /// The expressions of the configuration block `resource_type.name` in module `module_path`.
    pub fn config(
        &self,
        module_path: &str,
        resource_type: &str,
        name: &str,
    ) -> Option<&'a Map<String, Value>> {
        self.configs.get(&(module_path.to_owned(), resource_type, name)).copied()
    }

    /// The `aws_ecs_task_definition` instances of family `family`.
    pub fn family(&self, family: &str) -> &[usize] {
        self.families.get(family).map_or(&[], Vec::as_slice)
    }
}
