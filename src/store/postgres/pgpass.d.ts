declare module 'pgpass' {
  const pgpass: (info: object, done: (password?: string) => void) => void;
  export default pgpass;
}
