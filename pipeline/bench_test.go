package pipeline_test

import (
	"testing"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/pipeline"
	"github.com/lcngw/lcngw/signer"
)

// BenchmarkProcess processes one LCN event to one endpoint that answers
// at once: decode, merchant, build, sign and the policy's verdict, with no
// broker and no network.
func BenchmarkProcess(b *testing.B) {
	m := &pipeline.Merchant{VendorCode: vendor, Key: key, Endpoints: []pipeline.Endpoint{endpoint("main", config.BothKinds)}}
	p, err := pipeline.New(pipeline.Options{Merchants: pipeline.MerchantMap{vendor: m}, Sender: answer(ok)})
	if err != nil {
		b.Fatal(err)
	}
	data, err := lcnExample()
	if err != nil {
		b.Fatal(err)
	}
	rec := pipeline.Record{Kind: signer.KindLCN, Key: []byte("k"), Value: data}
	b.ReportAllocs()
	for b.Loop() {
		if d := p.Process(b.Context(), rec); d.Verdict != pipeline.Delivered {
			b.Fatalf("verdict %v", d.Verdict)
		}
	}
}
