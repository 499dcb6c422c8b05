package config_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/signer"
)

func TestKindsAndAlgorithmsYAML(t *testing.T) {
	type sets struct {
		K config.Kinds      `yaml:"k"`
		A config.Algorithms `yaml:"a"`
	}
	tests := []struct {
		doc   string
		kinds config.Kinds
		algs  signer.Algorithms
	}{
		{"k: [lcn]\na: [md5, SHA256, sha3_256]", config.KindsOf(signer.KindLCN), signer.AllAlgorithms},
		{"k: [IPN, lcn, ipn]\na: sha3-256", config.BothKinds, signer.SetOf(signer.SHA3256)},
		{"k: 'lcn, ipn'\na: 'sha256,md5'", config.BothKinds, signer.SetOf(signer.MD5, signer.SHA256)},
	}
	for _, tt := range tests {
		var v sets
		if err := yaml.Unmarshal([]byte(tt.doc), &v); err != nil {
			t.Fatalf("%q: %v", tt.doc, err)
		}
		if v.K != tt.kinds || v.A.Set() != tt.algs {
			t.Errorf("%q: kinds %v algorithms %v", tt.doc, v.K, v.A)
		}
	}
	var v sets
	err := yaml.Unmarshal([]byte("k: [lcn, ins, sub]\na: {x: 1}\n"), &v)
	for _, w := range []string{`line 1: unknown kind "ins"`, `line 1: unknown kind "sub"`, "line 2: algorithms must be a list"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
	out, err := yaml.Marshal(sets{K: config.BothKinds, A: config.DefaultAlgorithms})
	if err != nil || string(out) != "k:\n    - lcn\n    - ipn\na:\n    - sha256\n    - sha3-256\n" {
		t.Errorf("yaml %q, %v", out, err)
	}
	j, err := json.Marshal(sets{K: config.KindsOf(signer.KindIPN), A: config.DefaultAlgorithms})
	if err != nil || string(j) != `{"K":"ipn","A":"sha256,sha3-256"}` {
		t.Errorf("json %s, %v", j, err)
	}
	if config.BothKinds.Has(signer.KindUnknown) || !config.BothKinds.Has(signer.KindIPN) || len(config.KindsOf().List()) != 0 {
		t.Error("Has or List")
	}
}

func TestLogLevel(t *testing.T) {
	for in, want := range map[string]string{"DEBUG": "debug", "info": "info", "Warning": "warn", "error": "error"} {
		var l config.LogLevel
		if err := l.UnmarshalText([]byte(in)); err != nil || l.String() != want {
			t.Errorf("%q: %v, %v", in, l, err)
		}
	}
	var l config.LogLevel
	if err := l.UnmarshalText([]byte("trace")); err == nil {
		t.Error("trace accepted")
	}
	if config.Default().Log.Level.Level().String() != "INFO" {
		t.Error("default level")
	}
}
