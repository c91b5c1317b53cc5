package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-gorgias/gorgias"
)

// errorText explains a failed tool call to an assistant: what was refused
// and which parameters were at fault, in the tool's own parameter names,
// and what to do about it. It never includes credentials: neither the
// SDK's errors nor the API's carry them.
func errorText(b *binding, err error, timeout time.Duration) string {
	var (
		argErr *argError
		valErr *gorgias.ValidationError
		apiErr *gorgias.Error
		sb     strings.Builder
	)
	switch {
	case errors.As(err, &argErr):
		fmt.Fprintf(&sb, "The arguments of %s are not valid; nothing was sent to Gorgias.\n", b.name)
		writeProblems(&sb, argErr.Problems, nil)
		sb.WriteString("Fix the parameters listed and call the tool again.")
	case errors.As(err, &valErr):
		fmt.Fprintf(&sb, "The Gorgias SDK refused the arguments of %s (%s) before sending anything.\n", b.name, valErr.Op)
		ps := make([]problem, len(valErr.Problems))
		for i, p := range valErr.Problems {
			ps[i] = problem{Field: p.Field, Message: p.Message}
		}
		writeProblems(&sb, ps, b.fieldNames)
		sb.WriteString("Fix the parameters listed and call the tool again.")
	case errors.As(err, &apiErr):
		fmt.Fprintf(&sb, "Gorgias answered %d %s to %s %s", apiErr.StatusCode, http.StatusText(apiErr.StatusCode), apiErr.Method, apiErr.Path)
		if apiErr.Message != "" {
			sb.WriteString(": " + apiErr.Message)
		}
		sb.WriteString("\n")
		if len(apiErr.Fields) > 0 {
			names := make([]string, 0, len(apiErr.Fields))
			for name := range apiErr.Fields {
				names = append(names, name)
			}
			slices.Sort(names)
			ps := make([]problem, len(names))
			for i, name := range names {
				ps[i] = problem{Field: name, Message: strings.Join(apiErr.Fields[name], " ")}
			}
			sb.WriteString("Parameters at fault:\n")
			writeProblems(&sb, ps, b.fieldNames)
		}
		sb.WriteString(statusHint(apiErr))
		if apiErr.RequestID != "" {
			fmt.Fprintf(&sb, "\n(Gorgias request id %s)", apiErr.RequestID)
		}
	case errors.Is(err, gorgias.ErrRateLimited), strings.Contains(err.Error(), "rate limiter"):
		sb.WriteString("Gorgias's rate limit for this account is used up for now; the SDK paced and retried the call but it did not fit in the time allowed. Wait a few seconds (at most about 20) and call the tool again.")
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(&sb, "The call did not finish within %s", timeout)
		if b.readOnly {
			sb.WriteString("; try again, perhaps with a smaller limit.")
		} else {
			sb.WriteString("; it may or may not have taken effect: check (with a get or list tool) before trying again.")
		}
	case errors.Is(err, context.Canceled):
		sb.WriteString("The call was cancelled.")
	default:
		fmt.Fprintf(&sb, "The call failed: %v", err)
		if !b.readOnly {
			sb.WriteString("\nIt may or may not have taken effect: check (with a get or list tool) before trying again.")
		}
	}
	return strings.TrimSpace(sb.String())
}

// writeProblems lists problems one a line, renaming the SDK's field names
// to the tool's parameter names (the first dotted segment is renamed:
// "updates.0.value" becomes "body.0.value").
func writeProblems(sb *strings.Builder, ps []problem, rename map[string]string) {
	for _, p := range ps {
		field := p.Field
		head, rest, dotted := strings.Cut(field, ".")
		if to, ok := rename[head]; ok {
			field = to
			if dotted {
				field += "." + rest
			}
		} else if field == "" || field == "request" {
			field = "(arguments)" // the SDK's name for the request as a whole
		}
		fmt.Fprintf(sb, "- %s: %s\n", field, p.Message)
	}
}

// statusHint says what an assistant can do about an API error.
func statusHint(e *gorgias.Error) string {
	switch {
	case e.StatusCode == http.StatusBadRequest:
		return "Fix the arguments and call the tool again."
	case e.StatusCode == http.StatusUnauthorized:
		return "The credentials were refused. The person running gorgias-mcp must fix GORGIAS_EMAIL and GORGIAS_API_KEY (or GORGIAS_ACCESS_TOKEN) in its environment; calling again will not help."
	case e.StatusCode == http.StatusForbidden:
		return "The Gorgias user (or OAuth2 app) behind gorgias-mcp is not allowed to do this; calling again will not help."
	case e.StatusCode == http.StatusNotFound:
		return "Nothing exists with that id (it may have been deleted): look the id up with a list tool."
	case e.StatusCode == http.StatusConflict:
		return "It conflicts with what exists already (for example a tag of that name, or a ticket's survey)."
	case e.StatusCode == http.StatusTooManyRequests:
		wait := e.RetryAfter
		if wait <= 0 {
			wait = 20 * time.Second
		}
		return fmt.Sprintf("Gorgias's rate limit held after the SDK's retries; wait about %s and call the tool again.", wait.Round(time.Second))
	case e.StatusCode >= 500:
		return "Gorgias had a server error and the SDK's retries did not get through; try again in a while."
	}
	return ""
}

func asAPIError(err error) (*gorgias.Error, bool) {
	var e *gorgias.Error
	return e, errors.As(err, &e)
}

func asValidationError(err error) (*gorgias.ValidationError, bool) {
	var e *gorgias.ValidationError
	return e, errors.As(err, &e)
}
