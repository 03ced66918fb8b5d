// cdktf phones home unless this is set; tests run offline.
process.env.CHECKPOINT_DISABLE = '1';
