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
	// redact hides the credentials in every result and log line.
	redact *redactor
}

const instructions = `These tools work on one Gorgias helpdesk account: tickets, their messages, tags, custom field values, ` +
	`satisfaction surveys and voice calls. Ids are integers; look them up with the list tools first. ` +
	`Lists return one page ({"data": [...], "meta": {"next_cursor": ...}}): pass next_cursor back as cursor for more. ` +
	`List items come in a compact view unless full is true; the get tools return the full object. ` +
	`Datetimes are ISO 8601, such as 2024-05-01T12:00:00Z. A failed call comes back as an error result naming the parameters at fault. ` +
	`Tools marked destructive delete or replace data for good: confirm with the user before calling them. ` +
	`Creating a message from an agent without sent_datetime sends it to the customer.`

// tool is one served tool: the catalog's operation as served (with the
// binding's extra parameters, and the ones the SDK defaults optional) and
// our binding.
type tool struct {
	op *Operation
	b  *binding
}

// served is op as the tool takes it: the parameters the binding makes
// optional are, with its note, and its extra parameters follow the
// catalog's.
func served(op *Operation, b *binding) (*Operation, error) {
	out := *op
	out.Params = make([]Param, 0, len(op.Params)+len(b.extra))
	for _, p := range op.Params {
		if note, ok := b.optional[p.Name]; ok {
			p.Required = false
			p.Description = cleanDescription(p.Description) + note
		}
		out.Params = append(out.Params, p)
	}
	for name := range b.optional {
		if _, ok := op.Param(name); !ok {
			return nil, fmt.Errorf("%s: %s is made optional but is not a parameter", b.name, name)
		}
	}
	for name := range b.enums {
		if _, ok := op.Param(name); !ok {
			return nil, fmt.Errorf("%s: values for %s, which is not a parameter", b.name, name)
		}
	}
	for _, p := range b.extra {
		if _, dup := op.Param(p.Name); dup {
			return nil, fmt.Errorf("%s: the extra parameter %s is a catalog parameter already", b.name, p.Name)
		}
		out.Params = append(out.Params, p)
	}
	if b.out == nil {
		return nil, fmt.Errorf("%s: no output", b.name)
	}
	return &out, nil
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
		op, err := served(&ops[i], b)
		if err != nil {
			return nil, err
		}
		seen[b.name] = true
		tools = append(tools, tool{op: op, b: b})
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
	if _, ok := opts.logger.Handler().(*redactingHandler); !ok {
		opts.logger = slog.New(opts.redact.logHandler(opts.logger.Handler()))
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "gorgias-mcp", Title: "Gorgias helpdesk", Version: gorgias.Version},
		&mcp.ServerOptions{Instructions: instructions, Capabilities: &mcp.ServerCapabilities{}})
	writes := map[string]bool{}
	for _, t := range tools {
		if opts.readOnly && !t.b.readOnly {
			writes[t.op.Name] = true
			continue
		}
		s.AddTool(mcpTool(t), handler(client, t, opts))
	}
	if len(writes) > 0 {
		s.AddReceivingMiddleware(refuseWrites(writes, opts.logger))
	}
	return s, nil
}

// readOnlyRefusal is the answer to a write tool in -read-only mode.
const readOnlyRefusal = "%s changes the helpdesk, and this gorgias-mcp server runs read-only (started with -read-only), " +
	"so it serves only the list and get tools; nothing was sent to Gorgias. " +
	"To allow changes, the person running gorgias-mcp must restart it without -read-only (in the MCP client's configuration); " +
	"until then, tell the user what you would have changed."

// refuseWrites answers a call of a write tool, which -read-only leaves
// out of the tool list, with an error result that says why, instead of
// the protocol's "unknown tool".
func refuseWrites(writes map[string]bool, logger *slog.Logger) mcp.Middleware {
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if call, ok := req.(*mcp.CallToolRequest); ok && method == "tools/call" && call.Params != nil && writes[call.Params.Name] {
				logger.Info("tool call", "tool", call.Params.Name, "outcome", "refused: read-only")
				return errorResult(fmt.Sprintf(readOnlyRefusal, call.Params.Name)), nil
			}
			return next(ctx, method, req)
		}
	}
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
		Name:         t.op.Name,
		Title:        t.op.Summary,
		Description:  t.b.description,
		InputSchema:  inputSchema(t.op, t.b),
		OutputSchema: t.b.out.schema,
		Annotations:  ann,
	}
}

func ptr[T any](v T) *T { return &v }

// handler runs a tool call and logs it. A panic, which would be a bug,
// becomes an error result rather than taking the server down. Every
// result, whatever its path, has the credentials redacted here.
func handler(client *gorgias.Client, t tool, opts serverOptions) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (res *mcp.CallToolResult, _ error) {
		start := time.Now()
		outcome := "ok"
		defer func() {
			if r := recover(); r != nil {
				opts.logger.Error("tool call panicked", "tool", t.op.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				res, outcome = errorResult("gorgias-mcp hit an internal error on this call; it is logged. Nothing is known about whether it took effect."), "panic"
			}
			res = opts.redact.result(res)
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
// types, makes the call and renders the answer as structured content and
// the same JSON as text (for clients older than structured results), or
// as an error result an assistant can act on. outcome names how it ended,
// for the log. Its caller redacts the result.
func callTool(ctx context.Context, client *gorgias.Client, t tool, raw json.RawMessage, timeout time.Duration) (res *mcp.CallToolResult, outcome string) {
	fail := func(kind string, err error) (*mcp.CallToolResult, string) {
		return errorResult(errorText(t.b, err, timeout)), kind
	}
	in, err := parseArgs(t.op, t.b, raw)
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
	return &mcp.CallToolResult{
		Content:           []mcp.Content{&mcp.TextContent{Text: string(text)}},
		StructuredContent: json.RawMessage(text),
	}, "ok"
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
