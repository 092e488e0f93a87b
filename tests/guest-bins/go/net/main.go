// go_net: the Go runtime's network poller and process spawning. A net/http server on a
// loopback port chosen by the kernel, with an http.Client in the same process (a GET, a
// 100000-byte POST echoed back, 20 concurrent GETs), a plain TCP echo through net.Dial and a
// net.Listener, a UDP round trip, and os/exec: the program runs itself as a child (stdin,
// stdout, stderr pipes and exit status 3) and a host /bin/sh. Everything printed is
// independent of ports, pids, times and scheduling.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// child is what the program does when run by itself with the argument "child".
func child() {
	fmt.Println("child: started")
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		fmt.Println("child: read error:", err)
	}
	fmt.Printf("child: read %q\n", line)
	fmt.Fprintln(os.Stderr, "child: to stderr")
	os.Exit(3)
}

func hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello, %s", r.URL.Query().Get("name"))
}

// echo reads the whole body before writing: HTTP/1 handlers may not read after the response
// has started.
func echo(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.Write(body)
}

func get(c *http.Client, url string) (int, string, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func httpTest() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("http: listen:", err)
		return
	}
	fmt.Println("http: listening on a port other than 0:", ln.Addr().(*net.TCPAddr).Port != 0)
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", hello)
	mux.HandleFunc("/echo", echo)
	srv := &http.Server{Handler: mux}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// No proxy from the environment: the client talks to the server directly.
	tr := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 20}
	c := &http.Client{Transport: tr, Timeout: 90 * time.Second}
	base := "http://" + ln.Addr().String()

	resp, err := c.Get(base + "/hello?name=tsemu")
	if err != nil {
		fmt.Println("http: get /hello:", err)
	} else {
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("http: GET /hello status %d, content-type %q, content-length %d, body %q, read error %v\n",
			resp.StatusCode, resp.Header.Get("Content-Type"), resp.ContentLength, b, err)
	}

	status, body, err := get(c, base+"/missing")
	fmt.Printf("http: GET /missing status %d, body %q, error %v\n", status, strings.TrimSpace(body), err)

	payload := make([]byte, 100000)
	for i := range payload {
		payload[i] = byte(i*7 + i>>8)
	}
	resp, err = c.Post(base+"/echo", "application/octet-stream", bytes.NewReader(payload))
	if err != nil {
		fmt.Println("http: post /echo:", err)
	} else {
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("http: POST /echo status %d, content-length %d, received %d bytes, identical %v, read error %v\n",
			resp.StatusCode, resp.ContentLength, len(b), bytes.Equal(b, payload), err)
	}

	status, body, err = get(c, base+"/echo")
	fmt.Printf("http: GET /echo status %d, body %q, error %v\n", status, strings.TrimSpace(body), err)

	const n = 20
	var wg sync.WaitGroup
	results := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			status, body, err := get(c, fmt.Sprintf("%s/hello?name=g%d", base, i))
			if err != nil {
				results[i] = err.Error()
			} else if want := fmt.Sprintf("hello, g%d", i); status != 200 || body != want {
				results[i] = fmt.Sprintf("status %d body %q", status, body)
			}
		}(i)
	}
	wg.Wait()
	ok := 0
	for i, r := range results {
		if r == "" {
			ok++
		} else {
			fmt.Printf("http: concurrent GET %d failed: %s\n", i, r)
		}
	}
	fmt.Printf("http: concurrent GETs %d of %d ok\n", ok, n)

	tr.CloseIdleConnections()
	fmt.Println("http: server close error:", srv.Close())
	select {
	case err := <-served:
		fmt.Println("http: serve returned:", err, errors.Is(err, http.ErrServerClosed))
	case <-time.After(90 * time.Second):
		fmt.Println("http: serve did not return")
	}
	_, _, err = get(c, base+"/hello?name=late")
	fmt.Println("http: GET after close fails:", err != nil)
}

func tcpTest() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("tcp: listen:", err)
		return
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		r := bufio.NewReader(conn)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if _, err := conn.Write([]byte("echo: " + line)); err != nil {
				return
			}
		}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Println("tcp: dial:", err)
		return
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(90 * time.Second))
	r := bufio.NewReader(conn)
	for _, msg := range []string{"first line", "second line", strings.Repeat("x", 5000)} {
		if _, err := fmt.Fprintf(conn, "%s\n", msg); err != nil {
			fmt.Println("tcp: write:", err)
			return
		}
		line, err := r.ReadString('\n')
		if err != nil {
			fmt.Println("tcp: read:", err)
			return
		}
		line = strings.TrimSuffix(line, "\n")
		if len(line) > 40 {
			fmt.Printf("tcp: read back %d bytes, as sent %v\n", len(line), line == "echo: "+msg)
		} else {
			fmt.Printf("tcp: read back %q\n", line)
		}
	}
	// Half-close: the server sees EOF and closes, the client then reads EOF.
	conn.(*net.TCPConn).CloseWrite()
	_, err = r.ReadString('\n')
	fmt.Println("tcp: after CloseWrite the client reads:", err)
}

func udpTest() {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("udp: listen:", err)
		return
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 2048)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(bytes.ToUpper(buf[:n]), addr)
		}
	}()
	client, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("udp: client listen:", err)
		return
	}
	defer client.Close()
	buf := make([]byte, 2048)
	for _, msg := range []string{"ping", "datagram two"} {
		if _, err := client.WriteTo([]byte(msg), pc.LocalAddr()); err != nil {
			fmt.Println("udp: write:", err)
			return
		}
		client.SetReadDeadline(time.Now().Add(90 * time.Second))
		n, from, err := client.ReadFrom(buf)
		if err != nil {
			fmt.Println("udp: read:", err)
			return
		}
		fmt.Printf("udp: sent %q, got %q from the server's address %v\n",
			msg, buf[:n], from.String() == pc.LocalAddr().String())
	}
	// A connected UDP socket through net.Dial.
	conn, err := net.Dial("udp", pc.LocalAddr().String())
	if err != nil {
		fmt.Println("udp: dial:", err)
		return
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(90 * time.Second))
	conn.Write([]byte("dialed"))
	n, err := conn.Read(buf)
	fmt.Printf("udp: dialed, got %q, error %v\n", buf[:n], err)
}

func exitCode(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Sprintf("exit code %d", ee.ExitCode())
	}
	if err == nil {
		return "exit code 0"
	}
	return "error " + err.Error()
}

func execTest() {
	self, err := os.Executable()
	if err != nil {
		fmt.Println("exec: os.Executable failed, using os.Args[0]")
		self = os.Args[0]
	}

	// Stdin through StdinPipe, filled and closed before the child starts; stdout by Output,
	// stderr collected into the ExitError.
	cmd := exec.Command(self, "child")
	in, err := cmd.StdinPipe()
	if err != nil {
		fmt.Println("exec: stdin pipe:", err)
		return
	}
	io.WriteString(in, "line from the parent\n")
	in.Close()
	out, err := cmd.Output()
	fmt.Printf("exec: self child stdout %q\n", out)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		fmt.Printf("exec: self child stderr %q\n", ee.Stderr)
	}
	fmt.Println("exec: self child", exitCode(err))

	// Stdin written while the child runs, stdout and stderr into one buffer.
	cmd = exec.Command(self, "child")
	in, err = cmd.StdinPipe()
	if err != nil {
		fmt.Println("exec: stdin pipe:", err)
		return
	}
	var both bytes.Buffer
	cmd.Stdout = &both
	cmd.Stderr = &both
	if err := cmd.Start(); err != nil {
		fmt.Println("exec: start:", err)
		return
	}
	io.WriteString(in, "written after start\n")
	in.Close()
	err = cmd.Wait()
	fmt.Printf("exec: self child combined %q\n", both.String())
	fmt.Println("exec: self child", exitCode(err), "exited", cmd.ProcessState.Exited())

	out, err = exec.Command("/bin/sh", "-c", "echo from-sh; exit 2").CombinedOutput()
	fmt.Printf("exec: sh output %q, %s\n", out, exitCode(err))

	cmd = exec.Command("/bin/sh", "-c", "read v; echo \"sh read $v\"")
	cmd.Stdin = strings.NewReader("input line\n")
	out, err = cmd.Output()
	fmt.Printf("exec: sh output %q, %s\n", out, exitCode(err))

	_, err = exec.Command("/nonexistent/program").Output()
	fmt.Println("exec: missing program:", err)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		child()
		return
	}
	time.AfterFunc(110*time.Second, func() {
		fmt.Println("timeout: giving up after 110 s")
		os.Exit(9)
	})
	httpTest()
	tcpTest()
	udpTest()
	execTest()
	fmt.Println("done")
}
