package novarstest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what Check reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, format)
}

func TestCheckFindsExportedVariables(t *testing.T) {
	dir := t.TempDir()
	src := "package p\n\nvar Default = 3\n\nvar ErrBad error\n\nvar quiet = 1\n\nconst Max = 2\n"
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	test := "package p\n\nvar Fixture = 1\n"
	if err := os.WriteFile(filepath.Join(dir, "p_test.go"), []byte(test), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		check func(testing.TB, ...string)
		want  int
	}{
		{"Check", Check, 2},
		{"CheckButErrors", CheckButErrors, 1},
	}
	for _, tt := range tests {
		r := &recorder{TB: t}
		tt.check(r, dir)
		if len(r.errs) != tt.want {
			t.Errorf("%s reported %d variables, want %d: %s", tt.name, len(r.errs), tt.want, strings.Join(r.errs, "; "))
		}
	}
}
