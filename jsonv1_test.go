//go:build !goexperiment.jsonv2

package gorgias

// underJSONv2 is set when the tests run with GOEXPERIMENT=jsonv2.
const underJSONv2 = false
