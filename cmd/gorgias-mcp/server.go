package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/go-gorgias/gorgias"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// serverOptions configure the MCP server.
type serverOptions struct {
	// readOnly serves only the tools that read (list and get).
	readOnly bool
	// timeout bounds each tool call, pacing and retries included (0: none).
	timeout time.Duration
	// logger receives one line per tool call: the tool, how long it took
	// and how it ended; never arguments, results or credentials.
	logger *slog.Logger
}

const instructions = `These tools work on one Gorgias helpdesk account: tickets, their messages, tags, custom field values, ` +
	`satisfaction surveys and voice calls. Ids are integers; look them up with the list tools first. ` +
	`Lists return one page ({"data": [...], "meta": {"next_cursor": ...}}): pass next_cursor back as cursor for more. ` +
	`Datetimes are ISO 8601, such as 2024-05-01T12:00:00Z. A failed call comes back as an error result naming the parameters at fault. ` +
	`Tools marked destructive delete or replace data for good: confirm with the user before calling them. ` +
	`Creating a message from an agent without sent_datetime sends it to the customer.`

// tool is one served tool: the catalog's operation and our binding.
type tool struct {
	op *Operation
	b  *binding
}

// catalogTools pairs every catalog operation with its binding. Every
// operation must have one and every binding an operation.
func catalogTools(ops []Operation) ([]tool, error) {
	tools := make([]tool, 0, len(ops))
	seen := map[string]bool{}
	for i := range ops {
		b, ok := bindings[ops[i].Name]
		if !ok {
			return nil, fmt.Errorf("the catalog's %s has no binding to the SDK", ops[i].Name)
		}
		for name := range b.coerce {
			if _, ok := ops[i].Param(name); !ok {
				return nil, fmt.Errorf("%s: coercion for %s, which is not a parameter", b.name, name)
			}
		}
		seen[b.name] = true
		tools = append(tools, tool{op: &ops[i], b: b})
	}
	for name := range bindings {
		if !seen[name] {
			return nil, fmt.Errorf("binding %s is not in the catalog", name)
		}
	}
	return tools, nil
}

// newServer makes the MCP server with the catalog's tools, calling client.
func newServer(client *gorgias.Client, opts serverOptions) (*mcp.Server, error) {
	tools, err := catalogTools(mustCatalog())
	if err != nil {
		return nil, err
	}
	if opts.logger == nil {
		opts.logger = slog.New(slog.DiscardHandler)
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "gorgias-mcp", Title: "Gorgias helpdesk", Version: gorgias.Version},
		&mcp.ServerOptions{Instructions: instructions, Capabilities: &mcp.ServerCapabilities{}})
	for _, t := range tools {
		if opts.readOnly && !t.b.readOnly {
			continue
		}
		s.AddTool(mcpTool(t), handler(client, t, opts))
	}
	return s, nil
}

// mcpTool describes a tool to clients.
func mcpTool(t tool) *mcp.Tool {
	ann := &mcp.ToolAnnotations{
		Title:          t.op.Summary,
		ReadOnlyHint:   t.b.readOnly,
		IdempotentHint: t.b.idempotent || t.b.readOnly,
		// Both default to true when absent: always say.
		DestructiveHint: ptr(t.b.destructive),
		OpenWorldHint:   ptr(t.b.openWorld),
	}
	return &mcp.Tool{
		Name:        t.op.Name,
		Title:       t.op.Summary,
		Description: t.b.description,
		InputSchema: inputSchema(t.op, t.b),
		Annotations: ann,
	}
}

func ptr[T any](v T) *T { return &v }

// handler runs a tool call and logs it. A panic, which would be a bug,
// becomes an error result rather than taking the server down.
func handler(client *gorgias.Client, t tool, opts serverOptions) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (res *mcp.CallToolResult, _ error) {
		start := time.Now()
		outcome := "ok"
		defer func() {
			if r := recover(); r != nil {
				opts.logger.Error("tool call panicked", "tool", t.op.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				res, outcome = errorResult("gorgias-mcp hit an internal error on this call; it is logged. Nothing is known about whether it took effect."), "panic"
			}
			opts.logger.Info("tool call", "tool", t.op.Name, "outcome", outcome, "duration", time.Since(start).Round(time.Millisecond))
		}()
		var raw json.RawMessage
		if req != nil && req.Params != nil {
			raw = req.Params.Arguments
		}
		res, outcome = callTool(ctx, client, t, raw, opts.timeout)
		return res, nil
	}
}

// callTool checks the arguments, decodes them into the SDK's request
// types, makes the call and renders the answer as JSON text, or as an
// error result an assistant can act on. outcome names how it ended, for
// the log.
func callTool(ctx context.Context, client *gorgias.Client, t tool, raw json.RawMessage, timeout time.Duration) (res *mcp.CallToolResult, outcome string) {
	fail := func(kind string, err error) (*mcp.CallToolResult, string) {
		return errorResult(errorText(t.b, err, timeout)), kind
	}
	in, err := parseArgs(t.op, t.b.coerce, raw)
	if err != nil {
		return fail("invalid arguments", err)
	}
	call, err := t.b.prepare(in)
	if err != nil {
		return fail("invalid arguments", err)
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	v, err := call(ctx, client)
	if err != nil {
		return fail(errorKind(err), err)
	}
	text, err := json.Marshal(v)
	if err != nil {
		return fail("encoding error", fmt.Errorf("encoding the answer as JSON: %w", err))
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(text)}}}, "ok"
}

func errorResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}

// errorKind classifies an error for the log, without its text (which may
// hold a customer's data).
func errorKind(err error) string {
	if e, ok := asAPIError(err); ok {
		return fmt.Sprintf("gorgias %d", e.StatusCode)
	}
	if _, ok := asValidationError(err); ok {
		return "refused by the SDK"
	}
	return "error: " + err.Error()
}
