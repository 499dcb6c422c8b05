package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServeListsEveryConfigProblem: a file with a type error and an
// unknown key, a misspelt LCNGW_ variable and a bad flag value are reported
// together, each located, with exit code 2, before anything connects.
func TestServeListsEveryConfigProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lcngw.yaml")
	doc := "kafka:\n  brokers: [127.0.0.1:1]\n  max_wait: soon\n  sasl: {mechanism: PLAIN}\nmerchant: []\n"
	if err := writeFile(path, doc); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LCNGW_KAFKA_BROKER", "typo:9092")
	code, _, errs := run(t, "", "serve", "--config", path, "--log-level", "loud")
	if code != exitInvalid {
		t.Fatalf("exit %d, want 2; stderr %q", code, errs)
	}
	for _, want := range []string{
		path + ":3: cannot unmarshal", path + ":5: field merchant not found",
		"LCNGW_KAFKA_BROKER: no such setting", "log.level: ", "kafka.sasl.username: required",
		"merchants: ",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "127.0.0.1:1") {
		t.Errorf("serve connected or named the broker before the configuration was valid:\n%s", errs)
	}
}

func TestFlagErrorsNameTheFlag(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--create-topics", "many"},
		{"kafka", "--port", "x"},
		{"replay", "--bogus"},
	} {
		code, _, errs := run(t, "", args...)
		if code != exitInvalid || !strings.Contains(errs, strings.TrimLeft(args[1], "-")) {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}
