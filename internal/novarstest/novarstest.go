// Package novarstest checks that packages export no mutable package
// variables: defaults are constants or functions, which no other package
// can change.
package novarstest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// Check fails t for each exported variable declared in the non-test Go
// files of dirs.
func Check(t testing.TB, dirs ...string) {
	t.Helper()
	check(t, func(string) bool { return false }, dirs)
}

// CheckButErrors is Check letting sentinel errors (exported variables
// named Err…) pass, as in the standard library.
func CheckButErrors(t testing.TB, dirs ...string) {
	t.Helper()
	check(t, func(name string) bool { return strings.HasPrefix(name, "Err") }, dirs)
}

func check(t testing.TB, allowed func(string) bool, dirs []string) {
	t.Helper()
	fset := token.NewFileSet()
	notTest := func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }
	for _, dir := range dirs {
		pkgs, err := parser.ParseDir(fset, dir, notTest, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("novarstest: %s: %v", dir, err)
		}
		for _, pkg := range pkgs {
			for _, f := range pkg.Files {
				for _, n := range exportedVars(f) {
					if !allowed(n.Name) {
						t.Errorf("%s: exported variable %s", fset.Position(n.Pos()), n.Name)
					}
				}
			}
		}
	}
}

// exportedVars returns the exported package variables of f.
func exportedVars(f *ast.File) []*ast.Ident {
	var out []*ast.Ident
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				if n.IsExported() {
					out = append(out, n)
				}
			}
		}
	}
	return out
}
