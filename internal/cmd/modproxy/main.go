// Command modproxy writes the working tree's modules into a file-system
// Go module proxy, as if each had been tagged at one version, so that
// scripts/release-check can install and build them with
// GOPROXY=file://DIR before anything is published.
//
//	go run . -out DIR -version v0.3.0 MODULE-DIR...
//
// For each module directory it writes, under DIR and the module's escaped
// path, the @v/list, @v/VERSION.info, @v/VERSION.mod and @v/VERSION.zip
// files a module proxy serves (https://go.dev/ref/mod#goproxy-protocol).
// The zip holds what `go mod download` would unpack from the tag: the
// module's files as they are in the working tree, without what git ignores
// and without the nested modules (golang.org/x/mod/zip's rules). It
// prints each module's path, version and go.sum hash.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/zip"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fset := flag.NewFlagSet("modproxy", flag.ContinueOnError)
	out := fset.String("out", "", "the proxy's directory (GOPROXY=file://DIR); created if missing")
	version := fset.String("version", "", "the version every module is written at (vX.Y.Z)")
	stamp := fset.String("time", "", "the versions' time in the .info files, RFC 3339 (default: now)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return errors.New("-out is required")
	case fset.NArg() == 0:
		return errors.New("name at least one module directory")
	case !semver.IsValid(*version) || semver.Canonical(*version) != *version:
		return fmt.Errorf("-version %q is not a canonical semantic version (vX.Y.Z)", *version)
	}
	when := time.Now().UTC()
	if *stamp != "" {
		t, err := time.Parse(time.RFC3339, *stamp)
		if err != nil {
			return fmt.Errorf("-time: %w", err)
		}
		when = t.UTC()
	}
	for _, dir := range fset.Args() {
		m, sum, err := write(ctx, *out, dir, *version, when)
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		fmt.Fprintf(stdout, "%s %s %s\n", m.Path, m.Version, sum)
	}
	return nil
}

// write adds the module in dir to the proxy at out, and returns its
// version and the hash go.sum records for its zip.
func write(ctx context.Context, out, dir, version string, when time.Time) (module.Version, string, error) {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return module.Version{}, "", err
	}
	mf, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return module.Version{}, "", err
	}
	if mf.Module == nil {
		return module.Version{}, "", errors.New("go.mod has no module line")
	}
	m := module.Version{Path: mf.Module.Mod.Path, Version: version}
	if err := module.Check(m.Path, m.Version); err != nil {
		return m, "", err
	}
	escPath, err := module.EscapePath(m.Path)
	if err != nil {
		return m, "", err
	}
	escVersion, err := module.EscapeVersion(m.Version)
	if err != nil {
		return m, "", err
	}
	at := filepath.Join(out, filepath.FromSlash(escPath), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		return m, "", err
	}

	files, err := moduleFiles(ctx, dir)
	if err != nil {
		return m, "", err
	}
	zipPath := filepath.Join(at, escVersion+".zip")
	var buf bytes.Buffer
	if err := zip.Create(&buf, m, files); err != nil {
		return m, "", err
	}
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		return m, "", err
	}
	sum, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	if err != nil {
		return m, "", err
	}
	if err := os.WriteFile(filepath.Join(at, escVersion+".mod"), gomod, 0o644); err != nil {
		return m, "", err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{m.Version, when})
	if err != nil {
		return m, "", err
	}
	if err := os.WriteFile(filepath.Join(at, escVersion+".info"), info, 0o644); err != nil {
		return m, "", err
	}
	return m, sum, addToList(filepath.Join(at, "list"), m.Version)
}

// addToList records version in the proxy's list of the module's versions.
func addToList(list, version string) error {
	data, err := os.ReadFile(list)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	versions := strings.Fields(string(data))
	if !slices.Contains(versions, version) {
		versions = append(versions, version)
	}
	semver.Sort(versions)
	return os.WriteFile(list, []byte(strings.Join(versions, "\n")+"\n"), 0o644)
}

// moduleFiles lists the files under dir that a tag would hold: in a git
// work tree, the tracked and the untracked files git does not ignore, as
// they are on disk; elsewhere, every file. zip.Create leaves out those of
// nested modules, vendor directories and irregular files.
func moduleFiles(ctx context.Context, dir string) ([]zip.File, error) {
	var names []string
	cmd := exec.CommandContext(ctx, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = dir
	if listed, err := cmd.Output(); err == nil {
		for name := range strings.SplitSeq(string(listed), "\x00") {
			if name != "" {
				names = append(names, name)
			}
		}
	} else {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == ".git" {
				return filepath.SkipDir
			}
			if !d.IsDir() {
				rel, err := filepath.Rel(dir, path)
				if err != nil {
					return err
				}
				names = append(names, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	files := make([]zip.File, 0, len(names))
	for _, name := range names {
		path := filepath.Join(dir, filepath.FromSlash(name))
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the working tree, not yet in the index
		}
		if err != nil {
			return nil, err
		}
		files = append(files, file{name: name, path: path, info: info})
	}
	return files, nil
}

// file is one file of the module for zip.Create.
type file struct {
	name string // slash-separated, relative to the module's directory
	path string
	info fs.FileInfo
}

func (f file) Path() string                 { return f.name }
func (f file) Lstat() (fs.FileInfo, error)  { return f.info, nil }
func (f file) Open() (io.ReadCloser, error) { return os.Open(f.path) }
