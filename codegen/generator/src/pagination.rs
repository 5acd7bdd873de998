//! Lowering's last step for `smithy.api#paginated`: the trait's member names and
//! paths resolved against the lowered input and output structures, so that the
//! emitters only print.

use crate::error::{Error, Result};
use crate::ir::{self, Field, Struct, TypeDef, TypeRef};
use crate::traits::Paginated;

/// How an operation pages, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Rust name of the input member that carries the token (`marker`).
    pub input_token: String,
    /// The output path to the next token, a step per member.
    pub output_token: Vec<Step>,
    /// The output path to the page's items, if the trait names them.
    pub items: Option<Items>,
    /// The input member that limits the page size, if any.
    pub page_size: Option<PageSize>,
    /// The trait's paths as written, for docs.
    pub wire: Paginated,
}

/// One member along an output path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Rust field name.
    pub rust_name: String,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field is boxed.
    pub boxed: bool,
}

/// Where a page's items are and what they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Items {
    /// The path to the list.
    pub path: Vec<Step>,
    /// The list (`Vec<T>`); an item is an element.
    pub list: TypeRef,
}

/// The page-size member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSize {
    /// Rust field name.
    pub rust_name: String,
    /// `i64` rather than `i32`.
    pub long: bool,
}

/// Resolves every operation's pagination. The service's trait gives defaults
/// that each operation's trait overrides member by member.
pub fn resolve(service: &mut ir::Service, defaults: Option<&Paginated>) -> Result<()> {
    // Disjoint borrows: the operations change, the types are only read.
    let ir::Service {
        operations, types, ..
    } = service;
    for op in operations.iter_mut() {
        let Some(own) = op.paginated.as_ref() else {
            continue;
        };
        let merged = merge(defaults, own);
        op.pagination = Some(resolve_one(&op.id, &merged, &op.input, &op.output, types)?);
    }
    Ok(())
}

fn merge(defaults: Option<&Paginated>, own: &Paginated) -> Paginated {
    let pick = |own: &Option<String>, default: Option<&Option<String>>| {
        own.clone().or_else(|| default.cloned().flatten())
    };
    Paginated {
        input_token: pick(&own.input_token, defaults.map(|d| &d.input_token)),
        output_token: pick(&own.output_token, defaults.map(|d| &d.output_token)),
        items: pick(&own.items, defaults.map(|d| &d.items)),
        page_size: pick(&own.page_size, defaults.map(|d| &d.page_size)),
    }
}

fn resolve_one(
    op_id: &str,
    trait_: &Paginated,
    input: &Struct,
    output: &Struct,
    types: &[TypeDef],
) -> Result<Pagination> {
    let bad = |what: String| Error::shape(op_id, format!("`smithy.api#paginated`: {what}"));
    let (Some(input_token), Some(output_token)) = (&trait_.input_token, &trait_.output_token)
    else {
        return Err(bad(
            "needs both `inputToken` and `outputToken` (on the operation or the service)".into(),
        ));
    };
    let token_field = member(input, input_token)
        .ok_or_else(|| bad(format!("the input has no member `{input_token}`")))?;
    if token_field.ty != TypeRef::String {
        return Err(bad(format!(
            "the input token `{input_token}` is not a string (maps are not supported)"
        )));
    }
    let (output_path, token_type) = path(output, output_token, types)
        .map_err(|e| bad(format!("output token `{output_token}`: {e}")))?;
    if token_type != TypeRef::String {
        return Err(bad(format!(
            "the output token `{output_token}` is not a string (maps are not supported)"
        )));
    }
    let items = match &trait_.items {
        None => None,
        Some(items) => {
            let (path, collection) =
                path(output, items, types).map_err(|e| bad(format!("items `{items}`: {e}")))?;
            // The spec allows a map too; no awsQuery model pages one, so it is refused
            // rather than given an untested shape.
            if !matches!(collection, TypeRef::List(_)) {
                return Err(bad(format!(
                    "items `{items}` is not a list (maps of items are not supported)"
                )));
            }
            Some(Items {
                path,
                list: collection,
            })
        }
    };
    let page_size = match &trait_.page_size {
        None => None,
        Some(name) => {
            let field = member(input, name)
                .ok_or_else(|| bad(format!("the input has no page-size member `{name}`")))?;
            let long = match field.ty {
                TypeRef::Integer => false,
                TypeRef::Long => true,
                _ => {
                    return Err(bad(format!(
                        "the page size `{name}` is not an integer or a long"
                    )))
                }
            };
            Some(PageSize {
                rust_name: field.rust_name.clone(),
                long,
            })
        }
    };
    Ok(Pagination {
        input_token: token_field.rust_name.clone(),
        output_token: output_path,
        items,
        page_size,
        wire: trait_.clone(),
    })
}

fn member<'s>(structure: &'s Struct, wire_name: &str) -> Option<&'s Field> {
    structure.fields.iter().find(|f| f.wire_name == wire_name)
}

/// Walks `a.b.c` from `start`: the steps, and the type at the end.
fn path(
    start: &Struct,
    dotted: &str,
    types: &[TypeDef],
) -> std::result::Result<(Vec<Step>, TypeRef), String> {
    let mut steps = Vec::new();
    let mut current = start;
    let mut segments = dotted.split('.').peekable();
    while let Some(segment) = segments.next() {
        let field = member(current, segment)
            .ok_or_else(|| format!("`{}` has no member `{segment}`", current.rust_name))?;
        steps.push(Step {
            rust_name: field.rust_name.clone(),
            optional: field.optional,
            boxed: field.boxed,
        });
        if segments.peek().is_none() {
            return Ok((steps, field.ty.clone()));
        }
        let TypeRef::Named(named) = &field.ty else {
            return Err(format!("`{segment}` is not a structure"));
        };
        current = types
            .iter()
            .find_map(|t| match t {
                TypeDef::Struct(s) if s.id == named.id => Some(s),
                _ => None,
            })
            .ok_or_else(|| format!("`{segment}` is not a structure"))?;
    }
    Err("the path is empty".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trait_(
        input: Option<&str>,
        output: Option<&str>,
        items: Option<&str>,
        size: Option<&str>,
    ) -> Paginated {
        Paginated {
            input_token: input.map(str::to_owned),
            output_token: output.map(str::to_owned),
            items: items.map(str::to_owned),
            page_size: size.map(str::to_owned),
        }
    }

    #[test]
    fn the_operation_overrides_the_service_member_by_member() {
        let service = trait_(
            Some("NextToken"),
            Some("NextToken"),
            None,
            Some("MaxResults"),
        );
        let op = trait_(None, None, Some("Things"), Some("Limit"));
        assert_eq!(
            merge(Some(&service), &op),
            trait_(
                Some("NextToken"),
                Some("NextToken"),
                Some("Things"),
                Some("Limit")
            )
        );
        assert_eq!(merge(None, &op), op);
    }
}
