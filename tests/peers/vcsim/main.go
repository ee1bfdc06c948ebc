// Command vcsim: govmomi's vCenter simulator with the flags the test harness needs.
//
// Debian's golang-github-vmware-govmomi-dev ships the simulator library but not the vcsim
// program, so the harness builds this file (tests/peers/vcsim/build.py). It prints the SDK URL
// (without credentials) as the first line on stdout once it listens, and removes its
// datastore directories under $TMPDIR on SIGTERM or SIGINT.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	m := simulator.VPX()
	flag.IntVar(&m.Datacenter, "dc", m.Datacenter, "datacenters")
	flag.IntVar(&m.Cluster, "cluster", m.Cluster, "clusters per datacenter")
	flag.IntVar(&m.ClusterHost, "host", m.ClusterHost, "hosts per cluster")
	flag.IntVar(&m.Host, "standalone-host", m.Host, "standalone hosts per datacenter")
	flag.IntVar(&m.Machine, "vm", m.Machine, "VMs per resource pool (clusters + standalone hosts)")
	flag.IntVar(&m.Datastore, "ds", m.Datastore, "datastores")
	flag.IntVar(&m.Portgroup, "pg", m.Portgroup, "distributed portgroups per datacenter")
	flag.IntVar(&m.PortgroupNSX, "nsx-pg", m.PortgroupNSX, "NSX-backed portgroups per datacenter")
	flag.IntVar(&m.OpaqueNetwork, "nsx", m.OpaqueNetwork, "opaque networks per datacenter")
	flag.IntVar(&m.Pool, "pool", m.Pool, "child resource pools per cluster")
	flag.IntVar(&m.App, "app", m.App, "vApps per cluster")
	flag.IntVar(&m.DelayConfig.Delay, "delay", 0, "milliseconds of latency added to every SOAP call")
	listen := flag.String("l", "127.0.0.1:0", "listen address (port 0 picks a free port)")
	user := flag.String("username", "user", "login user")
	pass := flag.String("password", "pass", "login password")
	certFile := flag.String("tlscert", "", "PEM server certificate (TLS needs both -tlscert and -tlskey)")
	keyFile := flag.String("tlskey", "", "PEM server key")
	load := flag.String("load", "", "load a govc object.save directory instead of creating the model")
	flag.Parse()

	var err error
	if *load != "" {
		err = m.Load(*load)
	} else {
		err = m.Create()
	}
	if err != nil {
		log.Fatal(err)
	}
	m.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *pass)}
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			log.Fatal(err)
		}
		m.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	s := m.Service.NewServer()
	u := *s.URL
	u.User = nil
	fmt.Println(u.String())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	s.Close()
	m.Remove()
}
