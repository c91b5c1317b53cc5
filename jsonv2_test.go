//go:build goexperiment.jsonv2

package gorgias

// underJSONv2 is set when the tests run with GOEXPERIMENT=jsonv2, whose
// encoding/json keeps invalid UTF-8 where the default one writes U+FFFD.
const underJSONv2 = true
