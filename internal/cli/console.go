package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/prometheus/client_golang/prometheus"

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
	if code, ok := parse(fl, args); !ok {
		return code
	}
	token := os.Getenv("LCNGW_ADMIN_TOKEN")
	if token == "" {
		return fail(stdio, "console", exitInvalid, errors.New("$LCNGW_ADMIN_TOKEN (the token a login must present) is required"))
	}
	cfg, err := cf.load()
	if err != nil {
		return fail(stdio, "console", exitInvalid, err)
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
	err = console.Run(ctx, console.RunOptions{Conn: conn, AttemptTopic: cfg.Kafka.Topics.Attempts,
		DeadLetterTopic: cfg.Kafka.Topics.DeadLetter, Database: *db, Listener: ln, Token: token,
		Directory: console.DirectoryFrom(cfg), Replayer: console.GatewayReplayer(gw), Logger: log})
	if err != nil {
		return fail(stdio, "console", exitFailed, err)
	}
	return exitOK
}
