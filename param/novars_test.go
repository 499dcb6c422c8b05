package param

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// TestNoExportedVariables: the event packages export defaults as
// constants or functions, never as variables another package could
// change.
func TestNoExportedVariables(t *testing.T) {
	fset := token.NewFileSet()
	notTest := func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }
	for _, dir := range []string{".", "../lcn", "../ipn", "../templates", "../config"} {
		pkgs, err := parser.ParseDir(fset, dir, notTest, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
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
