package gateway

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoExportedVariables: the gateway's packages export defaults as
// constants or functions, never as variables another package could
// change. Sentinel errors (Err…) are the one exception, as in the
// standard library.
func TestNoExportedVariables(t *testing.T) {
	dirs := []string{".", "../pipeline", "../retryrecord", "../metrics", "../admin"}
	internal, err := filepath.Glob("../internal/*")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../internal/*/*")
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(append(dirs, internal...), more...)
	fset := token.NewFileSet()
	notTest := func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }
	for _, dir := range dirs {
		pkgs, err := parser.ParseDir(fset, dir, notTest, parser.SkipObjectResolution)
		if err != nil {
			continue // not a directory of Go files
		}
		for _, pkg := range pkgs {
			for _, f := range pkg.Files {
				for _, name := range exportedVars(f) {
					t.Errorf("%s: exported variable %s", fset.Position(name.Pos()), name.Name)
				}
			}
		}
	}
}

// exportedVars returns the exported package variables of f that are not
// sentinel errors.
func exportedVars(f *ast.File) []*ast.Ident {
	var out []*ast.Ident
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				if n.IsExported() && !strings.HasPrefix(n.Name, "Err") {
					out = append(out, n)
				}
			}
		}
	}
	return out
}
