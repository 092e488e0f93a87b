module tsemu/guestbins

go 1.19
