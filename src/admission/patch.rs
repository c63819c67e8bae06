//! JSON merge patch (RFC 7386) on a YAML tree.

use crate::yaml::{Mapping, Value};

/// Applies `patch` to `target`: mappings merge key by key, `null` removes a
/// key, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Mapping(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_mapping() {
        *target = Value::Mapping(Mapping::new());
    }
    let Value::Mapping(map) = target else {
        unreachable!("made a mapping above")
    };
    for (key, value) in patch {
        if value.is_null() {
            map.remove(key);
        } else {
            merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        crate::yaml::parse(text).unwrap()
    }

    #[test]
    fn rfc7386_examples() {
        // RFC 7386 section 3.
        let mut doc = yaml(
            "{title: Goodbye!, author: {givenName: John, familyName: Doe}, tags: [example, sample], content: text}",
        );
        merge_patch(
            &mut doc,
            &yaml(
                "{title: Hello!, phoneNumber: '+01-123-456-7890', author: {familyName: null}, tags: [example]}",
            ),
        );
        assert_eq!(
            doc,
            yaml(
                "{title: Hello!, author: {givenName: John}, tags: [example], content: text, phoneNumber: '+01-123-456-7890'}"
            )
        );
        let mut scalar = yaml("{a: b}");
        merge_patch(&mut scalar, &yaml("{a: {b: c}}"));
        assert_eq!(scalar, yaml("{a: {b: c}}"));
        let mut replaced = yaml("{a: [1, 2]}");
        merge_patch(&mut replaced, &yaml("[3]"));
        assert_eq!(replaced, yaml("[3]"));
    }
}
