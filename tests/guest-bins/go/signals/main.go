// go_signals: the Go runtime's use of signals. os/signal.Notify with signals sent by the
// process to itself (kill, and tgkill through syscall.Tgkill), a nil pointer dereference
// that the runtime's SIGSEGV handler turns into a recoverable panic, and a goroutine spinning
// without calls that only asynchronous preemption (SIGURG sent with tgkill) can interrupt.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

type point struct {
	x, y int
	pad  [100]int
}

func deref(p *point) int { return p.y }

//go:noinline
func derefBig(p *point) int { return p.pad[50] }

func nilDeref() {
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"nil pointer field", func() { var p *point; fmt.Println(deref(p)) }},
		{"nil pointer far field", func() { var p *point; fmt.Println(derefBig(p)) }},
		{"nil pointer write", func() { var p *int; *p = 1 }},
		{"nil func call", func() { var f func(); f() }},
	} {
		func() {
			defer func() {
				r := recover()
				_, isRuntime := r.(runtime.Error)
				fmt.Printf("recover %s: %v (runtime.Error %v)\n", c.name, r, isRuntime)
			}()
			c.f()
		}()
	}
}

func notify() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2)
	for i := 0; i < 3; i++ {
		if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
			fmt.Println("kill:", err)
		}
		fmt.Println("notify: received", <-c)
	}
	if err := syscall.Tgkill(os.Getpid(), syscall.Gettid(), syscall.SIGUSR2); err != nil {
		fmt.Println("tgkill:", err)
	}
	fmt.Println("notify: received", <-c)
	p, _ := os.FindProcess(os.Getpid())
	if err := p.Signal(syscall.SIGUSR1); err != nil {
		fmt.Println("signal:", err)
	}
	fmt.Println("notify: received", <-c)

	// Ignored: delivered, discarded, and the program carries on.
	signal.Ignore(syscall.SIGUSR2)
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	fmt.Println("ignore: still running, ignored", signal.Ignored(syscall.SIGUSR2))
	signal.Stop(c)

	// SIGPIPE on a write to a pipe with no reader: the runtime's handler turns it into EPIPE
	// for descriptors other than 1 and 2.
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Println("pipe:", err)
		return
	}
	r.Close()
	_, err = w.Write([]byte("x"))
	fmt.Println("write to closed pipe:", err)
	w.Close()
}

var stop int32

// spin has no calls in its loop, so it is preempted only asynchronously.
//
//go:noinline
func spin() int {
	n := 0
	for atomic.LoadInt32(&stop) == 0 {
		n++
	}
	return n
}

func preempt() {
	prev := runtime.GOMAXPROCS(1)
	done := make(chan bool)
	go func() {
		done <- spin() >= 0
	}()
	// This goroutine can only run again (to set stop) once spin has been preempted.
	time.Sleep(time.Millisecond)
	atomic.StoreInt32(&stop, 1)
	fmt.Println("preempt: spinning goroutine interrupted and finished:", <-done)
	runtime.GOMAXPROCS(prev)
}

func main() {
	nilDeref()
	notify()
	preempt()
	fmt.Println("done")
}
