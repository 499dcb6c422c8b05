package retryrecord

import (
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"
)

// FuzzParseRetryRecord feeds arbitrary headers ("key=value" lines) to the
// retry record parser: it must never panic, and whatever it accepts must
// survive a round trip through headers unchanged.
func FuzzParseRetryRecord(f *testing.F) {
	var seed strings.Builder
	for _, h := range Encode(sampleRecord()) {
		seed.WriteString(h.Key + "=" + string(h.Value) + "\n")
	}
	f.Add(seed.String())
	f.Add("lcngw-attempt=x\nlcngw-kind=lcn\n")
	f.Fuzz(func(t *testing.T, s string) {
		var hs []kafka.Header
		for line := range strings.SplitSeq(s, "\n") {
			k, v, _ := strings.Cut(line, "=")
			hs = append(hs, Header(k, v))
		}
		rec, err := Decode(hs)
		if err != nil {
			return
		}
		again, err := Decode(Encode(rec))
		if err != nil {
			t.Fatalf("accepted record does not round-trip: %v", err)
		}
		if again.Attempt != rec.Attempt || again.Kind != rec.Kind || again.Merchant != rec.Merchant ||
			!again.Due.Equal(rec.Due) || again.MessageID != rec.MessageID {
			t.Fatalf("round trip changed the record: %+v -> %+v", rec, again)
		}
	})
}
