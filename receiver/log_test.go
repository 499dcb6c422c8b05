package receiver_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/lcngw/lcngw/receiver"
	"github.com/lcngw/lcngw/signer"
)

// TestLogsCarryNoSecretsOrPII sends accepted, duplicate, tampered,
// malformed and refused notifications full of personal data and checks
// the JSON log: it has a record for each rejection and duplicate, and none
// of the secret, the names, e-mails, addresses or license codes.
func TestLogsCarryNoSecretsOrPII(t *testing.T) {
	fs := platformFields(t)
	lcn := lcnFields("31")
	lcn.Set("ADDRESS", "Hauptstraße 5")
	valid := sign(testKey, lcn, signer.AllAlgorithms)
	bodies := [][]byte{
		valid, valid, // accepted, then a duplicate
		sign(testKey, fs, signer.AllAlgorithms),
		sign([]byte("wrong key"), fs, signer.AllAlgorithms),
		sign(testKey, fs, signer.SetOf(signer.MD5)),
		[]byte("FIRST_NAME=J%C3%BCrgen&EMAIL=jm%ZZ@example.com&LICENSE_CODE=3C343D0FAF"),
		[]byte(strings.Replace(string(valid), "Hauptstra%C3%9Fe", "Hauptstrasse", 1)),
	}
	secret := []string{string(testKey)}
	pii := []string{"Jürgen", "J%C3%BCrgen", "jm@example.com", "jm%ZZ", "3C343D0FAF", "Hauptstra", "Customer",
		"customer@2Checkout.com", "Test Address", "XRILXB9ZI3", "70403-900", "556133127400", "91.220.121.21"}
	for _, a := range adapters() {
		t.Run(a.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			do := a.build(receiver.Config{Secrets: [][]byte{testKey}, Logger: logger}, ok)
			for _, b := range bodies {
				do(post(b))
			}
			do = a.build(receiver.Config{Secrets: [][]byte{testKey}, Logger: logger, Store: storeFuncs{
				claim: func(string) (receiver.Status, error) { return 0, errors.New("store down") },
			}}, ok)
			do(post(valid))
			log := buf.String()
			for _, s := range append(secret, pii...) {
				if strings.Contains(log, s) {
					t.Errorf("log contains %q", s)
				}
			}
			counts := map[string]int{}
			for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
				var rec map[string]any
				if err := json.Unmarshal([]byte(line), &rec); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
				counts[rec["msg"].(string)+"/"+str(rec["result"])]++
			}
			want := map[string]int{
				"duplicate notification acknowledged/": 1,
				"notification rejected/invalid":        2,
				"notification rejected/downgraded":     1,
				"notification rejected/malformed":      1,
				"notification rejected/valid":          1, // refused because the store failed
			}
			for k, n := range want {
				if counts[k] != n {
					t.Errorf("%d records %q, want %d (all: %v)", counts[k], k, n, counts)
				}
			}
		})
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
