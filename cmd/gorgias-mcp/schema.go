package main

import (
	"regexp"
	"strings"
)

// inputSchema is the JSON Schema of a tool's arguments, generated from the
// catalog: one property per parameter with the catalog's JSON type (and
// item type for arrays) and description, the required ones listed, no
// others allowed. A coercion may describe an object parameter's keys; it
// never changes a type. Where the binding lists a parameter's values, its
// schema (or its items') has them as an enum.
func inputSchema(op *Operation, b *binding) map[string]any {
	props := make(map[string]any, len(op.Params))
	required := []string{}
	for _, p := range op.Params {
		s := typeSchema(p.Type)
		desc := cleanDescription(p.Description)
		if c, ok := b.coerce[p.Name]; ok {
			desc += c.note
			if c.refine != nil && s["type"] == "object" {
				sub := map[string]any{}
				s["required"] = c.refine(sub)
				s["properties"] = sub
				s["additionalProperties"] = false
			}
		}
		if values, ok := b.enums[p.Name]; ok {
			if items, isArray := s["items"].(map[string]any); isArray {
				items["enum"] = values
			} else {
				s["enum"] = values
			}
		}
		if desc = strings.TrimSpace(desc); desc != "" {
			s["description"] = desc
		}
		props[p.Name] = s
		if p.Required {
			required = append(required, p.Name)
		}
	}
	return map[string]any{
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
}

// typeSchema is the schema of a catalog type: "integer[]" is an array of
// integers, "any[]" an array of anything.
func typeSchema(typ string) map[string]any {
	if elem, ok := strings.CutSuffix(typ, "[]"); ok {
		items := map[string]any{}
		if elem != "any" {
			items["type"] = elem
		}
		return map[string]any{"type": "array", "items": items}
	}
	return map[string]any{"type": typ}
}

var (
	htmlTag = regexp.MustCompile(`<[^>]*>`)
	spaces  = regexp.MustCompile(`\s+`)
)

// cleanDescription drops the HTML some catalog descriptions carry.
func cleanDescription(s string) string {
	s = htmlTag.ReplaceAllString(s, " ")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}
