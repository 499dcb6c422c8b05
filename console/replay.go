package console

import (
	"context"

	"github.com/lcngw/lcngw/gateway"
)

// GatewayReplayer replays dead letters through g's replay: the listed
// ones, or those matching the merchant and time window.
func GatewayReplayer(g *gateway.Gateway) Replayer {
	return ReplayerFunc(func(ctx context.Context, req ReplayRequest) (int, error) {
		opts := gateway.ReplayOptions{Merchant: req.Merchant, Since: req.Since, Until: req.Until}
		for _, l := range req.Letters {
			opts.Letters = append(opts.Letters, gateway.LetterRef{Partition: l.Partition, Offset: l.Offset})
		}
		sum, err := g.Replay(ctx, opts)
		return sum.Replayed, err
	})
}
