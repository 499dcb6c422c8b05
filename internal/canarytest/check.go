package canarytest

import "testing"

// Check makes the canary variants of data, decodes each and runs each step
// on the decoded event. It fails t when a problem of any step repeats a
// canary, and when no variant with a canary at one of the paths in
// rejected fails decoding or a step.
func Check[E any](t testing.TB, data []byte, decode func([]byte) (E, error), steps []func(E) error, rejected ...string) {
	t.Helper()
	variants, err := Variants(data)
	if err != nil {
		t.Fatal(err)
	}
	failed := make(map[string]bool)
	for _, v := range variants {
		for _, err := range run(v.Data, decode, steps) {
			failed[v.Path] = true
			if c := Leak(err.Error()); c != "" {
				t.Errorf("canary at %s: problem text repeats %s:\n%v", v.Path, c, err)
			}
		}
	}
	for _, p := range rejected {
		if !failed[p] {
			t.Errorf("no variant with a canary at %s was rejected", p)
		}
	}
}

// run returns the errors of decoding data and of each step the decoded
// event reaches.
func run[E any](data []byte, decode func([]byte) (E, error), steps []func(E) error) []error {
	ev, err := decode(data)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, step := range steps {
		if err := step(ev); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
