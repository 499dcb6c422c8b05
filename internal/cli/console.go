package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lcngw/lcngw/attemptlog"
	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/console"
	"github.com/lcngw/lcngw/kafkaconn"
)

func init() {
	register("console", "the web console: delivery history, dead letters and replay, from the attempt log", runConsole)
}

func runConsole(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("console", stdio)
	var cf configFlags
	cf.register(fl)
	listen := fl.String("listen", "127.0.0.1:9095", "listen address of the console's page")
	db := fl.String("db", "", "the view's SQLite file (default: a temporary file, rebuilt from Kafka at every start)")
	keep := fl.Duration("keep", attemptlog.DefaultRetention, "how long the view keeps attempts and dead letters (the attempt log's retention)")
	api := fl.String("merchant-api", "", "URL of the gateway's admin listener serving the merchant API, for paused states and endpoint actions (default: http:// and admin.listen when admin.token_env or token_file is set)")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	cfg, err := cf.load()
	if err != nil {
		return fail(stdio, "console", exitInvalid, err)
	}
	token := os.Getenv("LCNGW_ADMIN_TOKEN")
	if t := cfg.AdminToken(); !t.IsZero() {
		token = string(t.Reveal())
	}
	if token == "" {
		return fail(stdio, "console", exitInvalid, errors.New("a login token is required: admin.token_env or admin.token_file (the merchant API's token), or $LCNGW_ADMIN_TOKEN"))
	}
	if cfg.Kafka.Topics.Attempts == "" {
		return fail(stdio, "console", exitInvalid, errors.New("kafka.topics.attempts is empty: the console reads the attempt log"))
	}
	log := newLogger(cfg, stdio)
	conn, err := kafkaconn.FromConfig(&cfg.Kafka)
	if err != nil {
		return fail(stdio, "console", exitInvalid, err)
	}
	gw, _, err := instrumentedGateway(cfg, prometheus.NewRegistry(), log, nil)
	if err != nil {
		return fail(stdio, "console", exitInvalid, err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fail(stdio, "console", exitFailed, fmt.Errorf("listen: %w", err))
	}
	fmt.Fprintf(stdio.Out, "console on http://%s/\n", ln.Addr())
	o := console.RunOptions{Conn: conn, AttemptTopic: cfg.Kafka.Topics.Attempts,
		DeadLetterTopic: cfg.Kafka.Topics.DeadLetter, Database: *db, Listener: ln, Token: token, Keep: *keep,
		Directory: console.DirectoryFrom(cfg), Replayer: console.GatewayReplayer(gw), Logger: log}
	if base := merchantAPIURL(*api, cfg); base != "" {
		m := &console.MerchantAPI{BaseURL: base, Token: token}
		o.Directory, o.Control = m, m
	}
	err = console.Run(ctx, o)
	if err != nil {
		return fail(stdio, "console", exitFailed, err)
	}
	return exitOK
}

// merchantAPIURL is the merchant API's base URL: the flag's, or the admin
// listener's when the configuration has an API token ("" when neither).
func merchantAPIURL(flagURL string, cfg *config.Config) string {
	if flagURL != "" || cfg.AdminToken().IsZero() {
		return flagURL
	}
	host, port, err := net.SplitHostPort(cfg.Admin.Listen)
	if err != nil {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
