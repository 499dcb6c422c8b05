package lcn

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"
)

// TestCheckerNamesParameters: every parameter name the validation passes
// to the checker (c.param, c.count, c.id) is a documented parameter.
func TestCheckerNamesParameters(t *testing.T) {
	files, err := filepath.Glob("validate*.go")
	if err != nil || len(files) < 2 {
		t.Fatalf("validation sources: %v %v", files, err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 3 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "param" && sel.Sel.Name != "count" && sel.Sel.Name != "id") {
				return true
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: parameter name is not a literal", fset.Position(call.Pos()))
				return true
			}
			name, _ := strconv.Unquote(lit.Value)
			if !Catalogue().Known(name) {
				t.Errorf("%s: unknown parameter %s", fset.Position(call.Pos()), name)
			}
			seen++
			return true
		})
	}
	if seen < 50 {
		t.Errorf("only %d checker calls found", seen)
	}
}
