package cli

import (
	"errors"
	"fmt"
	"os"
)

// FlagRule is one check of a parsed flag value: Bad reports a value the
// command cannot use and Want says what it accepts, so the error names
// the flag, the value and the rule.
type FlagRule struct {
	Flag  string
	Value any
	Bad   bool
	Want  string
}

// CheckFlags returns an error naming every flag whose rule fails, or nil.
func CheckFlags(rules ...FlagRule) error {
	var errs []error
	for _, r := range rules {
		if r.Bad {
			errs = append(errs, fmt.Errorf("--%s must be %s, not %v", r.Flag, r.Want, r.Value))
		}
	}
	return errors.Join(errs...)
}

// CheckWritable reports, before a long run, whether path (a flag's output
// file) can be written: it is created if missing, and removed again.
func CheckWritable(flag, path string) error {
	if path == "" {
		return nil
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("--%s: cannot write %s: %w", flag, path, errors.Unwrap(err))
	}
	f.Close()
	if os.IsNotExist(statErr) {
		os.Remove(path)
	}
	return nil
}
