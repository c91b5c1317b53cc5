module github.com/go-gorgias/gorgias/internal/cmd/modproxy

go 1.25.0

require golang.org/x/mod v0.40.0
