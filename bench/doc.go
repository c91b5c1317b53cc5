// Package bench measures the gorgias SDK against its peers: decoding and
// encoding the same pages with the SDK, encoding/json, encoding/json/v2
// (built with GOEXPERIMENT=jsonv2), goccy/go-json and bytedance/sonic, and
// one call of the SDK against plain net/http with encoding/json. It is a
// module of its own, so the SDK keeps its four dependencies.
//
// scripts/bench at the repository's root runs it in interleaved rounds
// and prints the ratios the README's Performance section gives.
package bench
